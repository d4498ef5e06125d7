// The open-file limit. Node raises its own soft RLIMIT_NOFILE to the hard limit as it starts, so every
// Node daemon of runit-ts holds its fds up to the hard limit (runsvdir's service host needs that), and
// what it starts would inherit the raised limit where runit's services inherit runsvdir's soft one
// (often 1024, which select()-based programs rely on). The soft limit a program was started with is
// handed down in RUNIT_TS_FILE_LIMIT (set by our launchers, and by our daemons for the daemons they
// start), taken out of the environment, and given back to every other program started.
import { getrlimit, setrlimit } from '@runit-ts/native';

export const FILE_LIMIT_SETTING = 'RUNIT_TS_FILE_LIMIT';

/** The soft limit this program was started with, when it was handed down; removed from `env`. */
export function takeFileLimit(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[FILE_LIMIT_SETTING];
  delete env[FILE_LIMIT_SETTING];
  if (value === 'unlimited') return Infinity;
  const limit = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(limit) && limit >= 0 ? limit : undefined;
}

/**
 * Raises the soft RLIMIT_NOFILE to the hard limit (Node has done so already, unless something lowered
 * it since). Returns the soft limit before, when it changed.
 */
export function raiseFileLimit(): number | undefined {
  try {
    const { soft, hard } = getrlimit('NOFILE');
    if (soft >= hard) return undefined;
    setrlimit('NOFILE', { soft: hard, hard });
    return soft;
  } catch {
    return undefined; // left as it is: what runs out of fds says so itself
  }
}

/**
 * The soft limit the children of this process get: the one handed down, or the one this process had
 * before raising it. Undefined when neither is known: children inherit this process's.
 */
export const childFileLimit = (env: NodeJS.ProcessEnv = process.env): number | undefined => {
  const given = takeFileLimit(env);
  const before = raiseFileLimit();
  return given ?? before;
};

/** The environment entry that hands `limit` down to a daemon of ours. */
export const fileLimitEntry = (limit: number | undefined): NodeJS.ProcessEnv =>
  limit === undefined ? {} : { [FILE_LIMIT_SETTING]: limit === Infinity ? 'unlimited' : String(limit) };
