// The svlogd throughput input (numbered 100-byte lines) and the check that every line came out, in
// order and intact, across all the files of a log dir.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LINE_BYTES = 100;
const DIGITS = 8;
const FILLER = 'x'.repeat(LINE_BYTES - DIGITS - 2);

/** Line i of the input: 8 digits, a space, filler, newline: 100 bytes. */
export const inputLine = (i: number): string => `${String(i).padStart(DIGITS, '0')} ${FILLER}\n`;

export function makeInput(lines: number): Buffer {
  const buffer = Buffer.allocUnsafe(lines * LINE_BYTES);
  for (let i = 0; i < lines; i++) buffer.write(inputLine(i), i * LINE_BYTES, 'latin1');
  return buffer;
}

/** `-tt`'s stamp: `YYYY-MM-DD_HH:MM:SS.xxxxx ` (26 bytes). */
export const DATETIME_STAMP = /^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} $/;
export const DATETIME_STAMP_BYTES = 26;

export interface LineCount {
  /** Lines that are the next expected input line, with a well-formed stamp. */
  intact: number;
  /** Complete lines that are not (out of order, duplicated, damaged). */
  wrong: number;
  /** Bytes after the last newline (an unfinished line). */
  trailing: number;
}

/**
 * Feeds the concatenation of a log dir's files (in name order, `current` last) and checks each line
 * against the input: a line split across two files by a size rotation is joined again.
 */
export class LogLineChecker {
  private intact = 0;
  private wrong = 0;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly stampBytes = DATETIME_STAMP_BYTES) {}

  feed(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
      this.check(data.subarray(start, end + 1));
      start = end + 1;
    }
    this.carry = Buffer.from(data.subarray(start));
  }

  result(): LineCount {
    return { intact: this.intact, wrong: this.wrong, trailing: this.carry.length };
  }

  private check(line: Buffer): void {
    const stamp = line.subarray(0, this.stampBytes).toString('latin1');
    const body = line.subarray(this.stampBytes).toString('latin1');
    const ok = (this.stampBytes === 0 || DATETIME_STAMP.test(stamp)) && body === inputLine(this.intact);
    if (ok) this.intact++;
    else this.wrong++;
  }
}

/** A log dir's files in the order their lines were written: rotated ones (`@…`) by name, then `current`. */
export function logFilesInOrder(dir: string): string[] {
  const names = readdirSync(dir);
  const rotated = names.filter((name) => name.startsWith('@')).sort();
  return [...rotated, ...(names.includes('current') ? ['current'] : [])].map((name) => join(dir, name));
}

export function checkLogDir(dir: string, stampBytes = DATETIME_STAMP_BYTES): LineCount & { files: number } {
  const checker = new LogLineChecker(stampBytes);
  const files = logFilesInOrder(dir);
  for (const file of files) checker.feed(readFileSync(file));
  return { ...checker.result(), files: files.length };
}
