// TAI64 / TAI64N labels as runit writes them: seconds = 2^62 + 10 + unix seconds (leap seconds ignored).

export const TAI64_BASE = 0x400000000000000an; // 2^62 + 10

export interface Tai64n {
  /** Unix seconds. */
  seconds: number;
  /** Nanoseconds, 0..999999999. runit stores usec*1000 + 500. */
  nanoseconds: number;
}

/** The label runit makes from a wall-clock reading in microseconds resolution. */
export function tai64nFromMillis(ms: number): Tai64n {
  const seconds = Math.floor(ms / 1000);
  const usec = Math.floor((ms - seconds * 1000) * 1000);
  return { seconds, nanoseconds: usec * 1000 + 500 };
}

export function tai64nNow(): Tai64n {
  return tai64nFromMillis(Date.now());
}

/** Writes the 12-byte big-endian TAI64N label at offset. */
export function packTai64n(label: Tai64n, out: Uint8Array, offset = 0): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setBigUint64(offset, TAI64_BASE + BigInt(label.seconds));
  view.setUint32(offset + 8, label.nanoseconds);
}

export function unpackTai64n(bytes: Uint8Array, offset = 0): Tai64n {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tai = view.getBigUint64(offset);
  return { seconds: Number(tai - TAI64_BASE), nanoseconds: view.getUint32(offset + 8) };
}

const HEX = '0123456789abcdef';

function hex(value: bigint | number, digits: number): string {
  let n = BigInt(value);
  let out = '';
  for (let i = 0; i < digits; i++) {
    out = HEX[Number(n & 15n)]! + out;
    n >>= 4n;
  }
  return out;
}

/** `@` + 24 lower-case hex digits, as svlogd -t and rotated file names show it. */
export function formatTai64n(label: Tai64n): string {
  return `@${hex(TAI64_BASE + BigInt(label.seconds), 16)}${hex(label.nanoseconds, 8)}`;
}

const LABEL = /^@([0-9a-fA-F]{16})([0-9a-fA-F]{8})$/;

export function parseTai64n(text: string): Tai64n | undefined {
  const match = LABEL.exec(text);
  if (!match) return undefined;
  return { seconds: Number(BigInt(`0x${match[1]}`) - TAI64_BASE), nanoseconds: parseInt(match[2]!, 16) };
}
