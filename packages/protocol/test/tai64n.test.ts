import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTai64n, packTai64n, parseTai64n, tai64nFromMillis, unpackTai64n } from '../src/index.js';

const label = fc.record({
  seconds: fc.integer({ min: 0, max: 2 ** 40 }),
  nanoseconds: fc.integer({ min: 0, max: 999_999_999 }),
});

describe('TAI64N', () => {
  it('formats as @ + 24 hex with seconds = 2^62 + 10 + unix seconds', () => {
    expect(formatTai64n({ seconds: 0, nanoseconds: 0 })).toBe('@400000000000000a00000000');
    // docs/runit-behaviour.md §3.2 example: 40000000 6b0c2498 0b8e36bc
    expect(formatTai64n({ seconds: 0x6b0c2498 - 10, nanoseconds: 0x0b8e36bc })).toBe('@400000006b0c24980b8e36bc');
  });

  it('fills nanoseconds as runit does: usec * 1000 + 500', () => {
    expect(tai64nFromMillis(1_700_000_000_123.456)).toEqual({ seconds: 1_700_000_000, nanoseconds: 123_456_500 });
    expect(tai64nFromMillis(5000)).toEqual({ seconds: 5, nanoseconds: 500 });
  });

  it('round-trips through text and bytes', () => {
    fc.assert(
      fc.property(label, (l) => {
        expect(parseTai64n(formatTai64n(l))).toEqual(l);
        const bytes = new Uint8Array(12);
        packTai64n(l, bytes);
        expect(unpackTai64n(bytes)).toEqual(l);
        expect(formatTai64n(l)).toMatch(/^@[0-9a-f]{24}$/);
      }),
    );
  });

  it('rejects labels of the wrong shape', () => {
    for (const bad of ['', '@', '400000000000000a00000000', '@400000000000000a0000000', '@400000000000000a000000000', '@400000000000000a0000000g']) {
      expect(parseTai64n(bad)).toBeUndefined();
    }
  });
});
