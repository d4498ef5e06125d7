import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatus, encodeStatus, statusAge, StatusFormatError, taiLabel, TAI64_BASE, type SuperviseStatus } from '../src/index.js';

const status: fc.Arbitrary<SuperviseStatus> = fc.record({
  stamp: fc.record({ seconds: fc.integer({ min: 0, max: 2 ** 40 }), nanoseconds: fc.integer({ min: 0, max: 999_999_999 }) }),
  pid: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  paused: fc.boolean(),
  wantUp: fc.boolean(),
  gotTerm: fc.boolean(),
  state: fc.constantFrom('down' as const, 'run' as const, 'finish' as const),
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('supervise/status', () => {
  it('encodes the runit 2.2.0 record of docs/runit-behaviour.md §3.2 byte for byte', () => {
    // 40000000 6b0c2498 0b8e36bc dd340000 00 75 00 01
    const bytes = encodeStatus({
      stamp: { seconds: 0x6b0c2498 - 10, nanoseconds: 0x0b8e36bc },
      pid: 0x34dd,
      paused: false,
      wantUp: true,
      gotTerm: false,
      state: 'run',
    });
    expect(hex(bytes)).toBe('400000006b0c24980b8e36bcdd34000000750001');
  });

  it('puts the pid little-endian and the stamp big-endian', () => {
    const bytes = encodeStatus({ stamp: { seconds: 1, nanoseconds: 2 }, pid: 0x01020304, paused: true, wantUp: false, gotTerm: true, state: 'finish' });
    expect(hex(bytes.subarray(0, 12))).toBe('400000000000000b00000002');
    expect(hex(bytes.subarray(12, 16))).toBe('04030201');
    expect([...bytes.subarray(16)]).toEqual([1, 0x64, 1, 2]);
  });

  it('round-trips every field', () => {
    fc.assert(
      fc.property(status, (s) => {
        const { wantUp, ...rest } = s;
        expect(decodeStatus(encodeStatus(s))).toEqual({ ...rest, want: wantUp ? 'up' : 'down', label: TAI64_BASE + BigInt(s.stamp.seconds) });
      }),
    );
  });

  it('refuses anything but 20 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }).filter((b) => b.length !== 20), (b) => {
        expect(() => decodeStatus(b)).toThrow(StatusFormatError);
      }),
    );
  });

  it('reads bytes runsv never writes as runit\'s sv does: unknown state and want, any non-zero flag set', () => {
    const bytes = encodeStatus({ stamp: { seconds: 0, nanoseconds: 0 }, pid: 0, paused: false, wantUp: false, gotTerm: false, state: 'down' });
    bytes[17] = 0x78; // neither 'u' nor 'd': sv prints neither "want up" nor "want down"
    bytes[19] = 7; // sv prints no state word
    bytes[16] = 9;
    bytes[18] = 2;
    expect(decodeStatus(bytes)).toMatchObject({ want: 'unknown', state: 'unknown', paused: true, gotTerm: true });
    bytes[19] = 255;
    expect(decodeStatus(bytes).state).toBe('unknown');
  });

  it('reads the little-endian pid unsigned, and the stamp\'s label exactly', () => {
    const bytes = new Uint8Array(20).fill(0xff);
    expect(decodeStatus(bytes)).toMatchObject({ pid: 0xffffffff, label: 2n ** 64n - 1n });
  });

  it('gives sv\'s age: whole seconds to now, 0 for a stamp in the future, exact for any label', () => {
    const nowMs = 1_700_000_100_250;
    const at = (seconds: number) => decodeStatus(encodeStatus({ stamp: { seconds, nanoseconds: 999_999_999 }, pid: 0, paused: false, wantUp: true, gotTerm: false, state: 'down' }));
    expect(statusAge(at(1_700_000_000), nowMs)).toBe(100n);
    expect(statusAge(at(1_800_000_000), nowMs)).toBe(0n);
    expect(statusAge(decodeStatus(new Uint8Array(20)), nowMs)).toBe(taiLabel(nowMs));
  });
});
