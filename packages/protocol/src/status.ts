// supervise/status: the 20-byte record runsv writes and sv/svstat read (docs/runit-behaviour.md §3.2).
import { packTai64n, unpackTai64n, type Tai64n } from './tai64n.js';

export const STATUS_SIZE = 20;

export type ServiceState = 'down' | 'run' | 'finish';
const STATE_BYTES: readonly ServiceState[] = ['down', 'run', 'finish'];

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

export function encodeStatus(status: SuperviseStatus): Uint8Array {
  const out = new Uint8Array(STATUS_SIZE);
  packTai64n(status.stamp, out, 0);
  new DataView(out.buffer).setUint32(12, status.pid >>> 0, true);
  out[16] = status.paused ? 1 : 0;
  out[17] = status.wantUp ? 0x75 : 0x64;
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

/**
 * Decodes the 20 bytes. Readers (sv) treat any byte other than 'u' at 17 as "down", and a state byte
 * beyond 2 as "finish"-like unknown; we keep runit's reading: 0 down, 1 run, anything else finish.
 */
export function decodeStatus(bytes: Uint8Array): SuperviseStatus {
  if (bytes.length !== STATUS_SIZE) throw new StatusFormatError(bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stateByte = bytes[19]!;
  return {
    stamp: unpackTai64n(bytes, 0),
    pid: view.getUint32(12, true),
    paused: bytes[16] !== 0,
    wantUp: bytes[17] === 0x75,
    gotTerm: bytes[18] !== 0,
    state: stateByte === 0 ? 'down' : stateByte === 1 ? 'run' : 'finish',
  };
}
