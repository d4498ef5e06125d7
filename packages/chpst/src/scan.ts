// Numbers as runit reads them (djb's scan_ulong): leading ASCII digits, wrapping like a C unsigned long.

const ULONG_WRAP = 1n << 64n;

export interface ScannedNumber {
  /** The value modulo 2^64, as the C `unsigned long` would hold it. */
  value: bigint;
  /** How many characters were digits. */
  length: number;
}

export function scanUnsigned(text: string, from = 0): ScannedNumber {
  let value = 0n;
  let end = from;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end) - 48;
    if (code < 0 || code > 9) break;
    value = (value * 10n + BigInt(code)) % ULONG_WRAP;
  }
  return { value, length: end - from };
}

/** The whole text as a number, or undefined when anything but digits follows (an empty text is 0). */
export function wholeUnsigned(text: string): bigint | undefined {
  const scanned = scanUnsigned(text);
  return scanned.length === text.length ? scanned.value : undefined;
}

/** What C gets when it stores an unsigned long in a signed `long`. */
export const asLong = (value: bigint): bigint => BigInt.asIntN(64, value);
/** What C gets when it passes a number to an `int`, `uid_t` or `gid_t` parameter. */
export const asInt32 = (value: bigint): number => Number(BigInt.asIntN(32, value));
export const asUint32 = (value: bigint): number => Number(BigInt.asUintN(32, value));
