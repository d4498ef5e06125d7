// Builds errors shaped exactly like Node's fs errors (code, errno, syscall, path) from an errno.
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

const systemErrors = getSystemErrorMap();

// libuv's table lacks some errnos that process supervision meets; describe those here.
const missing: Record<string, string> = {
  ECHILD: 'no child processes',
  ENOEXEC: 'exec format error',
  EDEADLK: 'resource deadlock avoided',
  ENOLCK: 'no locks available',
  EDQUOT: 'disk quota exceeded',
  ESTALE: 'stale file handle',
  EINPROGRESS: 'operation in progress',
};

function describeErrno(errno: number): [string, string] {
  const known = systemErrors.get(-errno);
  if (known) return known;
  const code = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0];
  return code ? [code, missing[code] ?? 'unknown error'] : ['EUNKNOWN', 'unknown error'];
}

/** `detail`, when given, ends the message: `EINVAL: invalid argument, execve: argv[1] contains a NUL byte`. */
export function errnoError(errno: number, syscall: string, path?: string, detail?: string): NodeJS.ErrnoException {
  const [code, description] = describeErrno(errno);
  const where = path === undefined ? syscall : `${syscall} '${path}'`;
  const error: NodeJS.ErrnoException = new Error(`${code}: ${description}, ${where}${detail === undefined ? '' : `: ${detail}`}`);
  return Object.assign(error, { errno: -errno, code, syscall }, path === undefined ? {} : { path });
}
