// What supervise/status says, as runit's status line and as a typed record; the bytes are decoded
// once, by @runit-ts/protocol's decodeStatus.
import { isUp, statusAge, type DecodedStatus, type ExtraStatus, type StatusState } from '@runit-ts/protocol';
import * as text from './messages.js';
import type { ReadinessAndRestarts } from './readiness-reader.js';

export type ServiceState = StatusState;

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
  /** Byte 17: `u` up, `d` down (want down and want exit alike); runit prints neither for any other. */
  want: DecodedStatus['want'];
  paused: boolean;
  got_term: boolean;
  /** No `down` file in the service dir. */
  normally_up: boolean;
}

/** A service, with its log's status when it has a log/: the shape of `sv status --json` lines. */
export interface ServiceStatus extends ProcessStatus, ReadinessAndRestarts {
  /** null when there is no log/ dir; a failure when log/ exists but cannot be read. */
  log: ProcessStatus | StatusFailure | null;
}

/** A status that could not be read: the reason runit would print after `NAME: `. */
export interface StatusFailure {
  name: string;
  error: string;
}

/** runit keeps the pid in a C int and prints it as unsigned long: a negative int wraps to 2^64 − n. */
function pidText(pid: number): string {
  const signed = pid | 0;
  return signed < 0 ? (2n ** 64n + BigInt(signed)).toString() : String(signed);
}

/**
 * `STATE: NAME: [(pid N) ]SECSs[annotations]` without a newline, byte for byte as runit prints it;
 * runit-ts's own annotations follow only where a runit-ts supervisor keeps extra.json (`extra`).
 */
export function statusLine(name: string, status: DecodedStatus, nowMs: number, normallyUp: boolean, extra?: ExtraStatus): string {
  const { pid, state } = status;
  let line = `${state === 'unknown' ? '' : text.STATE_WORD[state]}${name}: `;
  if (state !== 'down') line += `(pid ${pidText(pid)}) `;
  line += `${statusAge(status, nowMs)}s`;
  if (pid !== 0 && !normallyUp) line += text.NORMALLY_DOWN;
  if (pid === 0 && normallyUp) line += text.NORMALLY_UP;
  if (pid !== 0 && status.paused) line += text.PAUSED;
  if (pid === 0 && status.want === 'up') line += text.WANT_UP;
  if (pid !== 0 && status.want === 'down') line += text.WANT_DOWN;
  if (pid !== 0 && status.gotTerm) line += text.GOT_TERM;
  return extra === undefined ? line : line + extraNotes(status, extra);
}

/** `, ready` or `, not ready` for an up service with readiness, `, failed (REASON)`, `, needs A B`. */
function extraNotes(status: DecodedStatus, extra: ExtraStatus): string {
  let notes = '';
  if (isUp(status) && extra.pid === status.pid && extra.readiness.length > 0) notes += extra.ready ? text.READY : text.NOT_READY;
  if (extra.failed) notes += text.failedNote(extra.failed.reason);
  if (extra.needs.length > 0) notes += text.needsNote(extra.needs);
  return notes;
}

export function processStatus(name: string, status: DecodedStatus, nowMs: number, normallyUp: boolean): ProcessStatus {
  return {
    name,
    state: status.state,
    pid: status.pid === 0 ? null : status.pid,
    seconds: Number(statusAge(status, nowMs)),
    want: status.want,
    paused: status.paused,
    got_term: status.gotTerm,
    normally_up: normallyUp,
  };
}
