// The staging buffers: nothing staged before first use, bytes handed on in order, growth up to the cap.
import { describe, expect, it } from 'vitest';
import { ByteStaging } from '../src/staging.js';

function collector(): { writes: Buffer[]; write: (bytes: Buffer, start: number, end: number) => void } {
  const writes: Buffer[] = [];
  return { writes, write: (bytes, start, end) => writes.push(Buffer.from(bytes.subarray(start, end))) };
}

describe('ByteStaging', () => {
  it('hands bytes on in order, in fewer and larger writes as it fills, never above its cap', () => {
    const staging = new ByteStaging(16, 64);
    const { writes, write } = collector();
    const input: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      const piece = Buffer.from(`line ${i}\n`);
      input.push(piece);
      if (staging.reserve(piece.length, write)) staging.append(piece);
      else write(piece, 0, piece.length);
    }
    staging.flush(write);
    expect(Buffer.concat(writes).toString()).toBe(Buffer.concat(input).toString());
    const sizes = writes.map((w) => w.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
    expect(sizes[0]).toBeLessThanOrEqual(16);
    expect(sizes.slice(-3, -1).every((size) => size > 48)).toBe(true); // grown to the cap, and full
  });

  it('refuses what can never fit, after handing on what was staged first', () => {
    const staging = new ByteStaging(8, 32);
    const { writes, write } = collector();
    expect(staging.reserve(3, write)).toBe(true);
    staging.append(Buffer.from('abc'));
    expect(staging.reserve(40, write)).toBe(false);
    expect(writes.map(String)).toEqual(['abc']);
    staging.flush(write);
    expect(writes.map(String)).toEqual(['abc']); // nothing left to hand on
  });
});
