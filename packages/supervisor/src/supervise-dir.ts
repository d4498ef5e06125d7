// supervise/ (and log/supervise/) as runsv sets it up: the directory or its symlink's target, the
// lock, the control and ok FIFOs. Each step fails with runit's fatal text. Unlike runit's runsv, no
// file in supervise/ is followed through a symbolic link: supervise/ itself may be one (to a dir in
// /run, say), its entries may not (docs/security.md).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, statSync } from 'node:fs';
import { mkfifo, tryLockExclusive } from '@runit-ts/native';
import { attempt, StartFailure } from './errors.js';
import { FATAL, WARNING } from './messages.js';
import type { ServiceDir } from './service-dir.js';

/** '' for the service itself, 'log/' for its log service. */
export type Prefix = '' | 'log/';

const LINK_MAX = 256;

/**
 * mkdir supervise 0700. When that fails and `supervise` is a symlink (dangling or not), mkdir its
 * target instead, resolved from the directory holding the link; that mkdir's errors are ignored.
 * Then `warn`s when the directory (the link's target) belongs to another user than this process's.
 */
export function makeSuperviseDir(dir: ServiceDir, prefix: Prefix, warn: (text: string) => void = () => undefined): void {
  makeDir(dir, prefix);
  let owner: number;
  try {
    owner = statSync(dir.at(`${prefix}supervise`)).uid;
  } catch {
    return; // opening the lock reports what is wrong
  }
  const euid = process.geteuid?.() ?? owner;
  if (owner !== euid) warn(WARNING.superviseOwner(prefix, owner, euid));
}

function makeDir(dir: ServiceDir, prefix: Prefix): void {
  const link = `${prefix}supervise`;
  try {
    mkdirSync(dir.at(link), 0o700);
    return;
  } catch {
    // exists already, or is a symlink to make the target of
  }
  let target: Buffer;
  try {
    target = readlinkSync(dir.at(link), { encoding: 'buffer' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL') return;
    throw new StartFailure(FATAL.readlink(link), error);
  }
  if (target.length >= LINK_MAX) throw new StartFailure(FATAL.readlinkTooLong(link));
  const text = target.toString();
  try {
    mkdirSync(text.startsWith('/') ? text : dir.at(`${prefix}${text}`), 0o700);
  } catch {
    // ignored, as runit ignores it: opening the lock reports what is wrong
  }
}

/** Opens supervise/lock as runit's open_append does (created 0600), but never through a symlink. */
export function openLock(dir: ServiceDir, prefix: Prefix): number {
  const flags = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
  return attempt(FATAL.openLock(prefix), () => openSync(dir.at(`${prefix}supervise/lock`), flags, 0o600));
}

/** flock(LOCK_EX|LOCK_NB): a second supervisor on the same dir gets "temporary failure". */
export function lockNow(fd: number, prefix: Prefix): void {
  attempt(FATAL.lock(prefix), () => {
    if (!tryLockExclusive(fd)) throw Object.assign(new Error('lock held'), { code: 'EAGAIN' });
  });
}

/** One try at flock(LOCK_EX|LOCK_NB): false when another holds it. */
export const tryLock = (fd: number, prefix: Prefix): boolean => attempt(FATAL.lock(prefix), () => tryLockExclusive(fd));

/** Thrown by lockEventually when the supervisor was told to stop while it waited. */
export class StoppedWaiting extends Error {}

/**
 * runsv takes the log's lock with a blocking flock. Blocking here would stop every service in the
 * host (and a worker-thread wait would hold a libuv thread), so this retries without blocking.
 * `waiting` is called once, when the lock is found held; `stopped` ends the wait (StoppedWaiting).
 */
export async function lockEventually(fd: number, prefix: Prefix, retryMs = 200, waiting = (): void => undefined, stopped = (): boolean => false): Promise<void> {
  for (let first = true; ; first = false) {
    const taken = attempt(FATAL.lock(prefix), () => tryLockExclusive(fd));
    if (taken) return;
    if (first) waiting();
    if (stopped()) throw new StoppedWaiting();
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    if (stopped()) throw new StoppedWaiting();
  }
}

/**
 * mkfifo supervise/control 0600 (an existing one is kept) and open it non-blocking for reading and
 * writing at once: as a reader it never sees EOF and as a writer it keeps writers from blocking while
 * the supervisor lives. runsv opens it twice (read, then write) for the same effect; one fd per FIFO
 * is one fewer per service in a host that holds hundreds.
 */
export function openControlFifo(dir: ServiceDir, prefix: Prefix): number {
  const path = dir.at(`${prefix}supervise/control`);
  makeFifo(path);
  const stat = attempt(FATAL.statControl(prefix), () => lstatSync(path));
  if (stat.isSymbolicLink()) throw new StartFailure(FATAL.fifoIsLink(prefix, 'control'));
  if (!stat.isFIFO()) throw new StartFailure(FATAL.controlNotFifo(prefix));
  return openFifo(path, constants.O_RDWR, FATAL.openControl(prefix), FATAL.controlNotFifo(prefix));
}

/** supervise/ok: opened for reading and never read, so that clients' O_WRONLY opens succeed. */
export function openOkFifo(dir: ServiceDir, prefix: Prefix): number {
  const path = dir.at(`${prefix}supervise/ok`);
  makeFifo(path);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    stat = undefined; // the open below reports it, as runit's does
  }
  if (stat?.isSymbolicLink()) throw new StartFailure(FATAL.fifoIsLink(prefix, 'ok'));
  if (stat !== undefined && !stat.isFIFO()) throw new StartFailure(FATAL.okNotFifo(prefix));
  return openFifo(path, constants.O_RDONLY, FATAL.readOk(prefix), FATAL.okNotFifo(prefix));
}

/**
 * Opens a FIFO checked with lstat, non-blocking: O_NOFOLLOW, and fstat after the open, so that an
 * entry swapped for a link or a file in between is refused too.
 */
function openFifo(path: string, access: number, cannotOpen: string, notFifo: string): number {
  const fd = attempt(cannotOpen, () => openSync(path, access | constants.O_NONBLOCK | constants.O_NOFOLLOW));
  if (!fstatSync(fd).isFIFO()) {
    closeSync(fd);
    throw new StartFailure(notFifo);
  }
  return fd;
}

function makeFifo(path: string): void {
  try {
    mkfifo(path, 0o600);
  } catch {
    // runit ignores it: an existing FIFO is kept, anything else fails at the next step
  }
}
