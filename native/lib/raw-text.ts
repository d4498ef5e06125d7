// Text that keeps bytes which are not UTF-8: each such byte b becomes the lone surrogate U+DC00+b
// (as Python's surrogateescape), so that a name read as bytes (a file name, an argument) can travel
// as a string, in JSON too, and go back to the kernel as the bytes it was.
const ESCAPED = /(?<![\ud800-\udbff])[\udc80-\udcff]/;
const ESCAPED_ALL = new RegExp(ESCAPED.source, 'g');

/** Length of the valid UTF-8 sequence starting at bytes[i], or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead === 0xe0) [length, low] = [3, 0xa0];
  else if (lead === 0xed) [length, high] = [3, 0x9f];
  else if (lead >= 0xe1 && lead <= 0xef) length = 3;
  else if (lead === 0xf0) [length, low] = [4, 0x90];
  else if (lead === 0xf4) [length, high] = [4, 0x8f];
  else if (lead >= 0xf1 && lead <= 0xf3) length = 4;
  else return 0;
  if (i + length > bytes.length || bytes[i + 1]! < low || bytes[i + 1]! > high) return 0;
  for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return length;
}

/** `bytes` as text: UTF-8, with each byte that is not part of valid UTF-8 kept as U+DC00+byte. */
export function textOfBytes(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  if (!text.includes('\ufffd')) return text;
  let out = '';
  let run = 0;
  for (let i = 0; i < buffer.length; ) {
    const length = sequenceLength(buffer, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += buffer.toString('utf8', run, i) + String.fromCharCode(0xdc00 + buffer[i]!);
    run = ++i;
  }
  return out + buffer.toString('utf8', run);
}

/** The bytes `text` stands for: UTF-8, each U+DC80..U+DCFF standing alone as the byte it keeps. */
export function bytesOfText(text: string): Buffer {
  if (!ESCAPED.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const match of text.matchAll(ESCAPED_ALL)) {
    parts.push(Buffer.from(text.slice(from, match.index), 'utf8'), Buffer.of(match[0].charCodeAt(0) - 0xdc00));
    from = match.index + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** The entries of a /proc file of NUL-terminated strings (cmdline, environ). */
export function nulSeparated(bytes: Buffer): Buffer[] {
  const entries: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.length;
    entries.push(bytes.subarray(start, end));
    start = end + 1;
  }
  return entries;
}

/** What the kernel gets for a path or argument: a string holding kept bytes as those bytes. */
export const forKernel = <T extends string | Buffer>(value: T): T | Buffer =>
  typeof value === 'string' && ESCAPED.test(value) ? bytesOfText(value) : value;
