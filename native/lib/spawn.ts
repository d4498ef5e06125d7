// spawn(): vfork+execve through the addon (see src/spawn.cc for why not posix_spawn), with an fd map,
// session or group, and default signals; its failures name the step that failed.
import { inLauncherOrder } from './env-order.js';
import type { RawSpawnOptions } from './binding.js';
import { binding } from './load.js';
import { checkInteger, checkString, checkStringArray, optionError } from './options.js';

export interface SpawnOptions {
  /** Program to run: a path, or a bare name when `search` is true. */
  file: string;
  /** Full argv including argv[0]; defaults to [file]. */
  argv?: string[];
  /** Environment as a record or as "K=V" strings; defaults to process.env. */
  env?: NodeJS.ProcessEnv | string[];
  /** Working directory of the child; defaults to the parent's. */
  cwd?: string;
  /**
   * fds[i] is the parent fd that becomes the child's fd i; null leaves fd i closed.
   * Every fd not listed is closed in the child. Defaults to [0, 1, 2].
   */
  fds?: Array<number | null>;
  /** Start a new session (setsid). */
  setsid?: boolean;
  /** Put the child in this process group; 0 makes a new group led by the child. */
  pgid?: number;
  /** Search PATH (of this process) for `file`. */
  search?: boolean;
  /**
   * The child's OOM score adjustment (-1000..1000), set in the child before its exec so that nothing
   * it runs ever has the parent's; a failure to set it is ignored. Unset: inherited from the parent.
   */
  oomScoreAdj?: number;
  /**
   * The child's soft limit on open files (at most the hard limit), set before its exec: a parent
   * that raised its own for itself gives its children back the limit it was started with.
   */
  fileLimit?: number;
  /** 'set-aside' when the program is one of our own Node daemons run as `node script`; see withNodeVariables. */
  nodeVariables?: NodeVariables;
  /** Run as this user: the child sets its groups, gid and uid (real, effective and saved) before it execs. */
  user?: SpawnUser;
  /** The child's umask (default: this process's). */
  umask?: number;
}

export interface SpawnUser {
  uid: number;
  gid: number;
  /** Supplementary groups. */
  groups: number[];
}

/** Where our launchers move each NODE_* variable (NODE_OPTIONS, ...), so that node never acts on it. */
export const SAVED_PREFIX = 'RUNIT_TS_SAVED_';
const NODE_PREFIX = 'NODE_';

/**
 * 'given-back': for any program but our own Node daemons (services' ./run, stages, chpst's program, ...).
 * 'set-aside': for our own Node daemons started as `node script`, which must not act on them either.
 */
export type NodeVariables = 'given-back' | 'set-aside';

const nameOf = (entry: string): string => {
  const split = entry.indexOf('=');
  return split < 0 ? entry : entry.slice(0, split);
};

/**
 * The NODE_* variables of an environment as the program started must see them. 'given-back': each
 * RUNIT_TS_SAVED_NODE_X=v becomes NODE_X=v in its place, unless NODE_X is already set (it was set
 * since, deliberately, and wins). 'set-aside': each NODE_X=v becomes RUNIT_TS_SAVED_NODE_X=v in its
 * place, as the launcher does (an older saved one is dropped). Every other entry is kept as it is.
 */
export function withNodeVariables(entries: readonly string[], mode: NodeVariables): string[] {
  const from = mode === 'given-back' ? SAVED_PREFIX + NODE_PREFIX : NODE_PREFIX;
  const to = mode === 'given-back' ? NODE_PREFIX : SAVED_PREFIX + NODE_PREFIX;
  if (!entries.some((entry) => entry.startsWith(from))) return [...entries];
  const present = new Set(entries.map(nameOf));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith(from)) {
      const renamed = to + entry.slice(from.length);
      if (mode === 'given-back' && present.has(nameOf(renamed))) continue;
      out.push(renamed);
    } else if (mode === 'set-aside' && entry.startsWith(to) && present.has(from + nameOf(entry).slice(to.length))) {
      continue;
    } else {
      out.push(entry);
    }
  }
  return out;
}

const givenName = (name: string): string => (name.startsWith(SAVED_PREFIX + NODE_PREFIX) ? name.slice(SAVED_PREFIX.length) : name);

/**
 * An environment as "K=V" strings for spawn or execve, with the NODE_* variables as `nodeVariables`
 * says. An object (process.env) is put in the order the launcher was given it; an array is kept as is.
 */
export function envArray(env: NodeJS.ProcessEnv | string[], nodeVariables: NodeVariables = 'given-back'): string[] {
  let entries: string[];
  if (Array.isArray(env)) {
    entries = checkStringArray('env', env);
  } else {
    entries = [];
    for (const [key, value] of Object.entries(env)) if (value !== undefined) entries.push(`${key}=${value}`);
    entries = inLauncherOrder(entries, givenName);
  }
  return withNodeVariables(entries, nodeVariables);
}

/** `env` with the NODE_* variables given back, as an object: for node:child_process (sv's ./check). */
export function givenBackEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const entry of envArray(env)) {
    const split = entry.indexOf('=');
    out[entry.slice(0, split)] = entry.slice(split + 1);
  }
  return out;
}

/** The steps of a spawn, each named by its system call: the `syscall` of a spawn's error. */
export type SpawnStep = 'vfork' | 'setsid' | 'setpgid' | 'setuid' | 'chdir' | 'dup2' | 'execve';

/**
 * What spawn throws when a step fails: an fs-style errno error whose `syscall` is the step, with
 * `path` for chdir (the cwd) and execve (the file). A string holding a NUL byte is refused before the
 * vfork with EINVAL for the step that would have used it (chdir for cwd, execve for the rest).
 */
export interface SpawnError extends NodeJS.ErrnoException {
  syscall: SpawnStep;
}

/**
 * True when nothing was started because vfork itself failed (EAGAIN at the process limit, ENOMEM):
 * runit's programs pause and try again. Any other spawn failure is the child's, after the fork.
 */
export function isForkFailure(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).syscall === 'vfork';
}

/**
 * Starts a program and returns its pid. Every failure, the fork's or the child's before its exec
 * succeeded, throws a SpawnError synchronously (the failed child is already reaped).
 */
export function spawn(options: SpawnOptions): number {
  const file = checkString('file', options.file);
  const argv = options.argv === undefined ? [file] : checkStringArray('argv', options.argv);
  const fds = (options.fds ?? [0, 1, 2]).map((fd, i) => (fd === null ? -1 : checkInteger(`fds[${i}]`, fd, 0)));
  if (options.setsid && options.pgid !== undefined) throw optionError('pgid', 'unset when setsid is true', options.pgid);
  const pgid = options.pgid === undefined ? -1 : checkInteger('pgid', options.pgid, 0);
  if (options.cwd !== undefined) checkString('cwd', options.cwd);
  const user = options.user === undefined ? {} : checkUser(options.user);
  const umask = options.umask === undefined ? {} : { umask: checkInteger('umask', options.umask, 0) & 0o777 };
  const oomScoreAdj = options.oomScoreAdj === undefined ? null : checkInteger('oomScoreAdj', options.oomScoreAdj, -1000);
  if (oomScoreAdj !== null && oomScoreAdj > 1000) throw optionError('oomScoreAdj', 'an integer from -1000 to 1000', oomScoreAdj);
  return binding.spawn({
    ...user,
    ...umask,
    file,
    argv,
    env: envArray(options.env ?? process.env, options.nodeVariables),
    cwd: options.cwd ?? null,
    fds,
    setsid: options.setsid === true,
    pgid,
    search: options.search === true,
    oomScoreAdj,
    fileLimit: options.fileLimit === undefined || options.fileLimit === Infinity ? null : checkInteger('fileLimit', options.fileLimit, 0),
  });
}

function checkUser(user: SpawnUser): Required<Pick<RawSpawnOptions, 'uid' | 'gid' | 'groups'>> {
  const groups = user.groups;
  if (!Array.isArray(groups) || !groups.every((gid) => Number.isInteger(gid) && gid >= 0)) {
    throw optionError('user.groups', 'an array of non-negative integers', groups);
  }
  return { uid: checkInteger('user.uid', user.uid, 0), gid: checkInteger('user.gid', user.gid, 0), groups };
}
