// The readproctitle window against a byte-by-byte transcription of runit's loop, on random input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TitleWindow } from '../src/proctitle-log.js';

/** runit: for each non-NUL byte, bytes 6..len-1 move one place left and the byte goes last. */
function runitWindow(log: Buffer, input: Uint8Array): Buffer {
  const bytes = Buffer.from(log);
  for (const ch of input) {
    if (!ch) continue;
    for (let i = 6; i < bytes.length; i++) bytes[i - 1] = bytes[i]!;
    bytes[bytes.length - 1] = ch;
  }
  return bytes;
}

describe('TitleWindow', () => {
  it('keeps the first five characters and scrolls the rest', () => {
    const window = new TitleWindow('log: .......');
    window.feed(Buffer.from('ab\0c\n'));
    expect(window.text).toBe('log: ...abc\n');
  });

  it('matches runit byte for byte on any input, fed in any chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: 60 }),
        fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 6 }),
        (length, chunks) => {
          const log = Buffer.from(`log: ${'.'.repeat(length - 5)}`);
          const window = new TitleWindow(log.toString());
          for (const chunk of chunks) window.feed(chunk);
          const expected = runitWindow(log, Buffer.concat(chunks));
          expect(window.raw.equals(expected)).toBe(true);
        },
      ),
    );
  });
});
