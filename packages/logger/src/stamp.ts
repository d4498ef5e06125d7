// The -t/-tt/-ttt line stamps: 26 bytes with the trailing space, the once-a-second part cached.
import { formatTai64n } from '@runit-ts/protocol';

/** none (no -t), -t: TAI64N label, -tt: `YYYY-MM-DD_HH:MM:SS.fffff`, -ttt: the same with `T`. */
export type TimestampFormat = 'none' | 'tai64n' | 'datetime' | 'iso8601';

export const STAMP_LENGTH = 26;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const SPACE = 0x20;
const DIGIT_0 = 0x30;

/** Formats stamps into one reused buffer; call stamp() once per read, copy the result to keep it. */
export class Stamper {
  private readonly bytes: Buffer;
  private second = -1;

  constructor(readonly format: TimestampFormat) {
    this.bytes = Buffer.alloc(format === 'none' ? 0 : STAMP_LENGTH, SPACE);
  }

  /** The stamp for `micros` (unix microseconds): an empty buffer without -t. */
  stamp(micros: number): Buffer {
    if (this.format === 'none') return this.bytes;
    const seconds = Math.floor(micros / 1_000_000);
    const usec = micros - seconds * 1_000_000;
    if (seconds !== this.second) this.cacheSecond(seconds);
    if (this.format === 'tai64n') {
      // runit's nano field: usec * 1000 + 500, as 8 hex digits after the 16 of the seconds.
      let nano = usec * 1000 + 500;
      for (let i = 24; i >= 17; i--) {
        this.bytes[i] = HEX[nano & 15]!;
        nano = Math.floor(nano / 16);
      }
    } else {
      // The first five of the nano field's nine decimal digits: usec / 10.
      let fraction = Math.floor(usec / 10);
      for (let i = 24; i >= 20; i--) {
        this.bytes[i] = DIGIT_0 + (fraction % 10);
        fraction = Math.floor(fraction / 10);
      }
    }
    return this.bytes;
  }

  private cacheSecond(seconds: number): void {
    this.second = seconds;
    if (this.format === 'tai64n') {
      this.bytes.write(formatTai64n({ seconds, nanoseconds: 0 }).slice(0, 17), 0, 'latin1');
    } else {
      const iso = new Date(seconds * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
      const separator = this.format === 'datetime' ? '_' : 'T';
      this.bytes.write(`${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}.`, 0, 'latin1');
    }
  }
}
