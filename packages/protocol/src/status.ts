// supervise/status: the 20-byte record runsv writes and sv/svstat read (docs/runit-behaviour.md §3.2).
import { packTai64n, TAI64_BASE, unpackTai64n, type Tai64n } from './tai64n.js';

export const STATUS_SIZE = 20;

export type ServiceState = 'down' | 'run' | 'finish';
const STATE_BYTES: readonly ServiceState[] = ['down', 'run', 'finish'];

const WANT_UP = 0x75; // 'u'
const WANT_DOWN = 0x64; // 'd'

/** What runsv writes: encodeStatus's input. */
export interface SuperviseStatus {
  /** When the state last changed (runsv start, ./run start, reaching down). */
  stamp: Tai64n;
  /** 0 when nothing runs. Stored little-endian. */
  pid: number;
  paused: boolean;
  /** Byte 17: 'u' when want is up; want down and want exit both encode as 'd'. */
  wantUp: boolean;
  gotTerm: boolean;
  state: ServiceState;
}

/** Byte 19 as a reader finds it: runsv's three states, or 'unknown' for any other value. */
export type StatusState = ServiceState | 'unknown';
/** Byte 17 as a reader finds it: 'u', 'd' (want down or exit), or anything else. */
export type StatusWant = 'up' | 'down' | 'unknown';

/**
 * What the 20 bytes say, as runit's sv reads them: sv prints no state word for a state byte other
 * than 0, 1 or 2, and neither `want up` nor `want down` for a want byte other than 'u' or 'd'; such
 * bytes read here as 'unknown'.
 */
export interface DecodedStatus {
  stamp: Tai64n;
  /** Bytes 0–7, the stamp's TAI64 label: exact for any bytes (`stamp.seconds` is a Number). */
  label: bigint;
  /** Unsigned 32-bit, 0 when nothing runs. */
  pid: number;
  paused: boolean;
  want: StatusWant;
  gotTerm: boolean;
  state: StatusState;
}

export function encodeStatus(status: SuperviseStatus): Uint8Array {
  const out = new Uint8Array(STATUS_SIZE);
  packTai64n(status.stamp, out, 0);
  new DataView(out.buffer).setUint32(12, status.pid >>> 0, true);
  out[16] = status.paused ? 1 : 0;
  out[17] = status.wantUp ? WANT_UP : WANT_DOWN;
  out[18] = status.gotTerm ? 1 : 0;
  out[19] = STATE_BYTES.indexOf(status.state);
  return out;
}

export class StatusFormatError extends Error {
  constructor(readonly size: number) {
    super(`supervise/status must be ${STATUS_SIZE} bytes, got ${size}`);
    this.name = 'StatusFormatError';
  }
}

/** Decodes the 20 bytes; any other length throws StatusFormatError. */
export function decodeStatus(bytes: Uint8Array): DecodedStatus {
  if (bytes.length !== STATUS_SIZE) throw new StatusFormatError(bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const want = bytes[17];
  return {
    stamp: unpackTai64n(bytes, 0),
    label: view.getBigUint64(0),
    pid: view.getUint32(12, true),
    paused: bytes[16] !== 0,
    want: want === WANT_UP ? 'up' : want === WANT_DOWN ? 'down' : 'unknown',
    gotTerm: bytes[18] !== 0,
    state: STATE_BYTES[bytes[19]!] ?? 'unknown',
  };
}

/** The TAI64 label of a wall-clock time in ms, whole seconds, as runit's taia_now gives it. */
export const taiLabel = (ms: number): bigint => TAI64_BASE + BigInt(Math.floor(ms / 1000));

/** Whole seconds from the stamp to `nowMs`, 0 when the stamp is in the future (sv's age). */
export function statusAge(status: DecodedStatus, nowMs: number): bigint {
  const now = taiLabel(nowMs);
  return now < status.label ? 0n : now - status.label;
}
