// The environment the program gets, in runit's order.
import { describe, expect, it } from 'vitest';
import { applyEnvChanges } from '../src/environment.js';

describe('applyEnvChanges', () => {
  it('moves the last entry into a removed slot and appends new values', () => {
    const env = ['PATH=/bin', 'Z=1', 'B=2', 'A=3', 'C=4'];
    const changes = [
      { name: 'C=D', value: 'x=y' },
      { name: 'B', value: 'x=y\n' },
      { name: 'A', value: 'val1' },
    ];
    // The order runit's chpst gives for the same input (env -i PATH=/bin Z=1 B=2 A=3 C=4).
    expect(applyEnvChanges(env, changes)).toEqual(['PATH=/bin', 'Z=1', 'C=D=x=y', 'B=x=y\n', 'A=val1']);
  });

  it('unsets, and an empty-file name with "=" sets the part after it', () => {
    expect(applyEnvChanges(['A=1', 'B=2', 'C=3'], [{ name: 'A', value: null }])).toEqual(['C=3', 'B=2']);
    expect(applyEnvChanges(['E=1'], [{ name: 'E=F', value: null }])).toEqual(['E=F']);
    expect(applyEnvChanges(['AB=1'], [{ name: 'A', value: null }])).toEqual(['AB=1']);
    expect(applyEnvChanges([], [{ name: 'X', value: '' }])).toEqual(['X=']);
  });
});
