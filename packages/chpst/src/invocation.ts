// The name chpst was called as, which picks its personality (envdir, setlock, softlimit, ...).
import { basename } from 'node:path';

export const PERSONALITIES = ['setuidgid', 'envuidgid', 'envdir', 'pgrphack', 'setlock', 'softlimit'] as const;
export type Personality = (typeof PERSONALITIES)[number];

export interface Invocation {
  /** The basename as called (without a launcher's `.cjs`): how getopt names the program. */
  calledAs: string;
  /** calledAs without one leading `d` (runit's rule, so `dsetlock` is setlock): shown in usage lines. */
  name: string;
  /** The personality that name selects, or undefined for plain chpst. */
  personality: Personality | undefined;
}

/**
 * From argv[0] — under Node, the script path in process.argv[1]: the path as invoked (a symlink's
 * own name, e.g. node_modules/.bin/envdir), made absolute but not resolved through the link.
 */
export function invocationOf(argv0: string): Invocation {
  const calledAs = basename(argv0).replace(/\.cjs$/, '');
  const name = calledAs.startsWith('d') ? calledAs.slice(1) : calledAs;
  const personality = (PERSONALITIES as readonly string[]).includes(name) ? (name as Personality) : undefined;
  return { calledAs, name, personality };
}
