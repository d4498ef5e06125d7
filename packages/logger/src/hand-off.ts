// svlogd handing its log dirs to the service host that started its log service, which then writes
// them itself (runsvdir's host; docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md):
// the offer the host makes in log/run's environment, the one message svlogd sends back, and svlogd's
// side of it.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { envEntryBytes, sendFds, type EnvEntry } from '@runit-ts/native';
import type { Logger } from './logger.js';

/** The offer, in log/run's environment: `<fd>:<host's pid>:<inode of the log pipe>`. */
export const HAND_OFF_VARIABLE = 'RUNIT_TS_SVLOGD_HANDOFF';

/**
 * The longest line (-l) the host takes on: it keeps a buffer of that size per log. An svlogd with a
 * longer one stays a process of its own.
 */
export const HOSTED_LINE_MAX = 64 * 1024;

export interface HandOffOffer {
  /** The socket svlogd sends on (inherited across log/run's execs). */
  fd: number;
  /** The host: log/run's parent, and the socket's peer. */
  hostPid: number;
  /** The log pipe svlogd must have as its stdin for the host to take it. */
  pipeInode: number;
}

export const formatOffer = (offer: HandOffOffer): string => `${offer.fd}:${offer.hostPid}:${offer.pipeInode}`;

export function parseOffer(value: string | undefined): HandOffOffer | undefined {
  const match = /^(\d+):(\d+):(\d+)$/.exec(value ?? '');
  if (!match) return undefined;
  const [fd, hostPid, pipeInode] = match.slice(1).map(Number) as [number, number, number];
  return { fd, hostPid, pipeInode };
}

/**
 * What svlogd sends, as JSON; the message carries fds: its stdin, its stderr, its working directory,
 * then the lock of each dir marked `locked`, in order.
 */
export interface HandOffMessage {
  /** svlogd's arguments: the host parses them with svlogd's own parser. */
  argv: string[];
  /** Per dir: whether svlogd took its lock (the others it warned about and left out). */
  locked: boolean[];
  /** svlogd's umask, for the files the host creates and its processors. */
  umask: number;
  /** svlogd's environment (processors get it), each entry's bytes as latin1: JSON carries them unchanged. */
  env: string[];
}

/** The fds that come before the locks: stdin, stderr, working directory. */
export const FIXED_FDS = 3;

export const encodeMessage = (message: HandOffMessage): Buffer => Buffer.from(JSON.stringify(message));

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

export function decodeMessage(data: Buffer): HandOffMessage | undefined {
  let value: Partial<HandOffMessage>;
  try {
    value = JSON.parse(data.toString()) as Partial<HandOffMessage>;
  } catch {
    return undefined;
  }
  const { argv, locked, umask, env } = value;
  if (!isStringArray(argv) || !isStringArray(env)) return undefined;
  if (!Array.isArray(locked) || !locked.every((item) => typeof item === 'boolean')) return undefined;
  if (!Number.isInteger(umask) || umask! < 0 || umask! > 0o777) return undefined;
  return { argv, locked, umask: umask!, env };
}

/** Takes the offer out of the environment (svlogd's processors must not see it); undefined without one. */
export function takeOffer(env: NodeJS.ProcessEnv = process.env): HandOffOffer | undefined {
  const value = env[HAND_OFF_VARIABLE];
  if (value === undefined) return undefined;
  delete env[HAND_OFF_VARIABLE];
  return parseOffer(value);
}

/** The environment svlogd passes on, as processors would get it. */
export type EnvironmentOf = () => EnvEntry[];

/**
 * `text`'s bytes in memory of their own: a small Buffer.from is a slice of an 8 KiB pool, which it
 * keeps alive as long as the log keeps the entry.
 */
function latin1Bytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(text.length);
  bytes.write(text, 'latin1');
  return bytes;
}

/** The entries of the previous message's environment, by their text (bytes as latin1). */
let previousEntries = new Map<string, Buffer>();

/**
 * The environment a message carries, as processors get it (read only). An entry the previous message
 * carried too is the very Buffer made for it then: the log services of a tree differ in a variable
 * or two (PWD), and each hosted log kept a copy of all of them (at 1,000 services, 10 MB of small
 * Buffers in the host, for processors that few logs ever start).
 */
export function messageEnvironment(message: HandOffMessage): Buffer[] {
  const entries = message.env.map((text) => previousEntries.get(text) ?? latin1Bytes(text));
  previousEntries = new Map(message.env.map((text, i) => [text, entries[i]!]));
  return Object.freeze(entries) as Buffer[];
}

/**
 * svlogd's side, once it has taken its dirs' locks: sends the host its stdin, stderr, working
 * directory and locks, and returns true, after which svlogd must exit at once without reading
 * anything. False, with nothing sent, unless everything says the host will take it: svlogd is the
 * log service's own process (the host is its parent), its stdin is the log pipe, the offer's fd is
 * a socket whose peer is the host, and its lines fit (-l).
 */
export function handOff(offer: HandOffOffer, argv: readonly string[], logger: Logger, lineMax: number, environment: EnvironmentOf): boolean {
  let cwd = -1;
  try {
    if (process.ppid !== offer.hostPid || lineMax > HOSTED_LINE_MAX) return false;
    const stdin = fstatSync(0);
    if (!stdin.isFIFO() || stdin.ino !== offer.pipeInode || !fstatSync(offer.fd).isSocket()) return false;
    cwd = openSync('.', constants.O_RDONLY | constants.O_DIRECTORY);
    const locks = logger.locks();
    const message: HandOffMessage = { argv: [...argv], locked: locks.map((fd) => fd !== null), umask: currentUmask(), env: environment().map((entry) => envEntryBytes(entry).toString('latin1')) };
    const fds = [0, 2, cwd, ...locks.filter((fd): fd is number => fd !== null)];
    sendFds(offer.fd, encodeMessage(message), fds, offer.hostPid);
    return true;
  } catch {
    return false;
  } finally {
    if (cwd >= 0) closeSync(cwd);
  }
}

/** The umask, read without changing it (process.umask() with no argument sets it twice). */
function currentUmask(): number {
  const match = /^Umask:\s+([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
  return match ? parseInt(match[1]!, 8) : process.umask();
}

/** After a hand-off that did not happen: the offer's socket is closed, svlogd goes on alone. */
export function dropOffer(offer: HandOffOffer): void {
  try {
    closeSync(offer.fd);
  } catch {
    // not open (log/run closed it)
  }
}
