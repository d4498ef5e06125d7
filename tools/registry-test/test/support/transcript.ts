// runit's console lines for a boot that runs the three stages and powers off.
import { expect } from 'vitest';

export const POWERED_OFF = [
  expect.stringMatching(/^- runit: \$Id: runit-ts [\d.]+ \$: booting\.$/),
  '- runit: enter stage: /etc/runit/1',
  '- runit: leave stage: /etc/runit/1',
  '- runit: enter stage: /etc/runit/2',
  '- runit: leave stage: /etc/runit/2',
  '- runit: enter stage: /etc/runit/3',
  '- runit: leave stage: /etc/runit/3',
  '- runit: sending KILL signal to all processes...',
  '- runit: power off...',
];

export const runitLines = (lines: string[]): string[] => lines.filter((line) => line.startsWith('- runit: '));
