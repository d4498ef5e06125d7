// spawn(): vfork+execve through the addon (see src/spawn.cc for why not posix_spawn), with an fd map,
// session or group, and default signals; its failures name the step that failed.
import { inLauncherOrder } from './env-order.js';
import type { RawSpawnOptions } from './binding.js';
import { binding } from './load.js';
import { checkBytes, checkBytesArray, checkInteger, optionError } from './options.js';
import { asStarted } from './raw-environ.js';
import { bytesOfText, forKernel } from './raw-text.js';

/**
 * A string the kernel gets: a string is encoded as UTF-8 (a byte kept as U+DC00+byte by textOfBytes
 * goes as that byte), a Buffer is passed byte for byte (a name or value that is not UTF-8, as runit
 * passes it).
 */
export type Bytes = string | Buffer;

/** One "NAME=value" entry of an environment. */
export type EnvEntry = Bytes;

export interface SpawnOptions {
  /** Program to run: a path, or a bare name when `search` is true. */
  file: Bytes;
  /** Full argv including argv[0]; defaults to [file]. */
  argv?: Bytes[];
  /**
   * Environment as a record or as "K=V" entries; defaults to process.env. A record's variables that
   * still hold what they held at start-up get the bytes they came with (see envArray).
   */
  env?: NodeJS.ProcessEnv | EnvEntry[];
  /** Working directory of the child; defaults to the parent's. */
  cwd?: Bytes;
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

const textOf = (entry: EnvEntry): string => (typeof entry === 'string' ? entry : entry.toString('latin1'));

/** The name of a "NAME=value" entry (a Buffer's read as latin1: one character a byte). */
export const envEntryName = (entry: EnvEntry): string => {
  const text = textOf(entry);
  const split = text.indexOf('=');
  return split < 0 ? text : text.slice(0, split);
};

/** An entry as the bytes the kernel gets. */
export const envEntryBytes = (entry: EnvEntry): Buffer => (typeof entry === 'string' ? bytesOfText(entry) : entry);

/** `entry` with its first `from.length` characters (an ASCII prefix) replaced by `to`. */
function renamed(entry: EnvEntry, from: string, to: string): EnvEntry {
  return typeof entry === 'string' ? to + entry.slice(from.length) : Buffer.concat([Buffer.from(to, 'latin1'), entry.subarray(from.length)]);
}

/**
 * The NODE_* variables of an environment as the program started must see them. 'given-back': each
 * RUNIT_TS_SAVED_NODE_X=v becomes NODE_X=v in its place, unless NODE_X is already set (it was set
 * since, deliberately, and wins). 'set-aside': each NODE_X=v becomes RUNIT_TS_SAVED_NODE_X=v in its
 * place, as the launcher does (an older saved one is dropped). Every other entry is kept as it is.
 */
export function withNodeVariables<Entry extends EnvEntry>(entries: readonly Entry[], mode: NodeVariables): Entry[] {
  const from = mode === 'given-back' ? SAVED_PREFIX + NODE_PREFIX : NODE_PREFIX;
  const to = mode === 'given-back' ? NODE_PREFIX : SAVED_PREFIX + NODE_PREFIX;
  if (!entries.some((entry) => textOf(entry).startsWith(from))) return [...entries];
  const present = new Set(entries.map(envEntryName));
  const out: Entry[] = [];
  for (const entry of entries) {
    const text = textOf(entry);
    if (text.startsWith(from)) {
      const moved = renamed(entry, from, to) as Entry;
      if (mode === 'given-back' && present.has(envEntryName(moved))) continue;
      out.push(moved);
    } else if (mode === 'set-aside' && text.startsWith(to) && present.has(from + envEntryName(entry).slice(to.length))) {
      continue;
    } else {
      out.push(entry);
    }
  }
  return out;
}

const givenName = (name: string): string => (name.startsWith(SAVED_PREFIX + NODE_PREFIX) ? name.slice(SAVED_PREFIX.length) : name);

/**
 * An environment as "K=V" entries for spawn or execve, with the NODE_* variables as `nodeVariables`
 * says. An object (process.env) is put in the order the launcher was given it, and each of its
 * variables that still holds what Node made of bytes that are not UTF-8 gets those bytes back (a
 * Buffer), so that a program gets its variables as runit would pass them; an array is kept as is.
 */
export function envArray(env: NodeJS.ProcessEnv | EnvEntry[], nodeVariables: NodeVariables = 'given-back'): EnvEntry[] {
  let entries: EnvEntry[];
  if (Array.isArray(env)) {
    entries = checkBytesArray('env', env);
  } else {
    const texts: string[] = [];
    for (const [key, value] of Object.entries(env)) if (value !== undefined) texts.push(`${key}=${value}`);
    entries = inLauncherOrder(texts, givenName).map(asStarted);
  }
  return withNodeVariables(entries, nodeVariables);
}

const textOfGiven = (entry: EnvEntry): string => (typeof entry === 'string' ? entry : entry.toString('utf8'));

/** `env` with the NODE_* variables given back, as an object: for node:child_process (sv's ./check). */
export function givenBackEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const entry of envArray(env).map(textOfGiven)) {
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
  const file = checkBytes('file', options.file);
  const argv = options.argv === undefined ? [file] : checkBytesArray('argv', options.argv);
  const fds = (options.fds ?? [0, 1, 2]).map((fd, i) => (fd === null ? -1 : checkInteger(`fds[${i}]`, fd, 0)));
  if (options.setsid && options.pgid !== undefined) throw optionError('pgid', 'unset when setsid is true', options.pgid);
  const pgid = options.pgid === undefined ? -1 : checkInteger('pgid', options.pgid, 0);
  if (options.cwd !== undefined) checkBytes('cwd', options.cwd);
  const user = options.user === undefined ? {} : checkUser(options.user);
  const umask = options.umask === undefined ? {} : { umask: checkInteger('umask', options.umask, 0) & 0o777 };
  const oomScoreAdj = options.oomScoreAdj === undefined ? null : checkInteger('oomScoreAdj', options.oomScoreAdj, -1000);
  if (oomScoreAdj !== null && oomScoreAdj > 1000) throw optionError('oomScoreAdj', 'an integer from -1000 to 1000', oomScoreAdj);
  return binding.spawn({
    ...user,
    ...umask,
    file: forKernel(file),
    argv: argv.map(forKernel),
    env: envArray(options.env ?? process.env, options.nodeVariables).map(forKernel),
    cwd: options.cwd === undefined ? null : forKernel(options.cwd),
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
