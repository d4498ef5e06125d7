// Replaces chpst with the program (same pid), searching chpst's own PATH as runit's pathexec does.
import { execve, type EnvEntry } from '@runit-ts/native';

/** PATH when chpst's environment has none. */
export const DEFAULT_PATH = '/bin:/usr/bin';

/** Where pathexec tries `file`, in order: itself when it has a slash, else each PATH entry ("" is "."). */
export function candidatePaths(file: string, path: string | undefined): string[] {
  if (file.includes('/')) return [file];
  return (path ?? DEFAULT_PATH).split(':').map((dir) => `${dir === '' ? '.' : dir}/${file}`);
}

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * Execs the first candidate that runs. Only returns (with the error to report) when none did:
 * a missing file moves on to the next entry; access errors and directories are remembered and the
 * search goes on; any other error stops the search.
 */
export function execProgram(file: string, argv: string[], env: EnvEntry[], path: string | undefined): unknown {
  let remembered: unknown;
  let last: unknown;
  for (const candidate of candidatePaths(file, path)) {
    try {
      execve(candidate, argv, env);
    } catch (error) {
      last = error;
      const code = codeOf(error);
      if (code === 'ENOENT') continue;
      remembered = error;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EISDIR') break;
    }
  }
  return remembered ?? last;
}
