// The environment array supervisors share: one copy while the entries stay the same, a new one as soon
// as any entry differs (text or raw bytes), and none of them can be changed in place.
import { describe, expect, it } from 'vitest';
import { sharedEnvArray } from '../src/shared-env.js';

describe('sharedEnvArray', () => {
  it('gives every supervisor given the same environment the same array', () => {
    const first = sharedEnvArray({ PATH: '/bin', HOME: '/root' });
    const second = sharedEnvArray({ PATH: '/bin', HOME: '/root' });
    expect(second).toBe(first);
    expect(second).toEqual(['PATH=/bin', 'HOME=/root']);
  });

  it('gives a new array, with the new entries, when an entry changed', () => {
    const before = sharedEnvArray({ PATH: '/bin', HOME: '/root' });
    const after = sharedEnvArray({ PATH: '/bin', HOME: '/home/a' });
    expect(after).not.toBe(before);
    expect(after).toEqual(['PATH=/bin', 'HOME=/home/a']);
    expect(before).toEqual(['PATH=/bin', 'HOME=/root']);
  });

  it('compares entries that are raw bytes by their bytes', () => {
    const bytes = () => Buffer.from([0x58, 0x3d, 0xff, 0xfe]); // X=\xff\xfe, not UTF-8
    const first = sharedEnvArray([bytes(), 'A=1']);
    expect(sharedEnvArray([bytes(), 'A=1'])).toBe(first);
    const other = sharedEnvArray([Buffer.from([0x58, 0x3d, 0xff, 0xfd]), 'A=1']);
    expect(other).not.toBe(first);
    expect(Buffer.compare(other[0] as Buffer, Buffer.from([0x58, 0x3d, 0xff, 0xfd]))).toBe(0);
  });

  it('cannot be changed in place by one supervisor behind the others\' backs', () => {
    const env = sharedEnvArray({ A: '1' });
    expect(() => env.push('B=2')).toThrow(TypeError);
    expect(sharedEnvArray({ A: '1' })).toEqual(['A=1']);
  });
});
