// What the 20 bytes of supervise/status say, as runit's status line and as a typed record.
import { TAI64_BASE } from '@runit-ts/protocol';
import * as text from './messages.js';

export type ServiceState = 'down' | 'run' | 'finish' | 'unknown';

/** What one supervise/ dir reports: a service's, or its log's (then `name` is `log`). */
export interface ProcessStatus {
  /** The name as given (`log` for a log service). */
  name: string;
  /** Byte 19: 0 down, 1 run, 2 finish; runit prints no state word for any other value. */
  state: ServiceState;
  /** The pid of ./run (or ./finish), null when nothing runs. */
  pid: number | null;
  /** Seconds since the last state change, never negative. */
  seconds: number;
  /** Byte 17: `u` is up; down and exit both read as down. */
  want: 'up' | 'down';
  paused: boolean;
  got_term: boolean;
  /** No `down` file in the service dir. */
  normally_up: boolean;
}

/** A service, with its log's status when it has a log/: the shape of `sv status --json` lines. */
export interface ServiceStatus extends ProcessStatus {
  /** null when there is no log/ dir; a failure when log/ exists but cannot be read. */
  log: ProcessStatus | StatusFailure | null;
}

/** A status that could not be read: the reason runit would print after `NAME: `. */
export interface StatusFailure {
  name: string;
  error: string;
}

const STATES: readonly ServiceState[] = ['down', 'run', 'finish'];

/** The pid field, little-endian, as an unsigned 32-bit number. */
export function statusPid(bytes: Uint8Array): number {
  return (bytes[12]! | (bytes[13]! << 8) | (bytes[14]! << 16) | (bytes[15]! << 24)) >>> 0;
}

/** The TAI64 seconds label (bytes 0–7, big-endian). */
export function stampTai(bytes: Uint8Array): bigint {
  let label = 0n;
  for (let i = 0; i < 8; i++) label = (label << 8n) | BigInt(bytes[i]!);
  return label;
}

/** The TAI64 seconds label of a wall-clock time, as runit's taia_now gives it. */
export const taiSeconds = (ms: number): bigint => TAI64_BASE + BigInt(Math.floor(ms / 1000));

/** now − stamp in whole seconds, 0 when the stamp is in the future. */
export function elapsed(bytes: Uint8Array, nowMs: number): bigint {
  const now = taiSeconds(nowMs);
  const stamp = stampTai(bytes);
  return now < stamp ? 0n : now - stamp;
}

/** runit keeps the pid in a C int and prints it as unsigned long: a negative int wraps to 2^64 − n. */
function pidText(bytes: Uint8Array): string {
  const signed = statusPid(bytes) | 0;
  return signed < 0 ? (2n ** 64n + BigInt(signed)).toString() : String(signed);
}

/** `STATE: NAME: [(pid N) ]SECSs[annotations]` without a newline, byte for byte as runit prints it. */
export function statusLine(name: string, bytes: Uint8Array, nowMs: number, normallyUp: boolean): string {
  const state = bytes[19]!;
  const pid = statusPid(bytes);
  let line = `${text.STATE_WORD[state] ?? ''}${name}: `;
  if (state !== 0) line += `(pid ${pidText(bytes)}) `;
  line += `${elapsed(bytes, nowMs)}s`;
  if (pid !== 0 && !normallyUp) line += text.NORMALLY_DOWN;
  if (pid === 0 && normallyUp) line += text.NORMALLY_UP;
  if (pid !== 0 && bytes[16] !== 0) line += text.PAUSED;
  if (pid === 0 && bytes[17] === 0x75) line += text.WANT_UP;
  if (pid !== 0 && bytes[17] === 0x64) line += text.WANT_DOWN;
  if (pid !== 0 && bytes[18] !== 0) line += text.GOT_TERM;
  return line;
}

export function processStatus(name: string, bytes: Uint8Array, nowMs: number, normallyUp: boolean): ProcessStatus {
  const pid = statusPid(bytes);
  return {
    name,
    state: STATES[bytes[19]!] ?? 'unknown',
    pid: pid === 0 ? null : pid,
    seconds: Number(elapsed(bytes, nowMs)),
    want: bytes[17] === 0x75 ? 'up' : 'down',
    paused: bytes[16] !== 0,
    got_term: bytes[18] !== 0,
    normally_up: normallyUp,
  };
}
