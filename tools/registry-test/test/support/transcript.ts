// runit's console lines for a boot that runs the three stages and powers off, or, in container mode,
// stops on SIGTERM and exits with code 0.
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

export const CONTAINER_STOPPED = [
  POWERED_OFF[0],
  '- runit: container mode: grace 5 s.',
  '- runit: enter stage: /etc/runit/1',
  '- runit: leave stage: /etc/runit/1',
  '- runit: enter stage: /etc/runit/2',
  '- runit: SIGTERM: stopping the container...',
  '- runit: leave stage: /etc/runit/2',
  '- runit: enter stage: /etc/runit/3',
  '- runit: leave stage: /etc/runit/3',
  '- runit: container exit code 0.',
];

/** runit's own lines; container mode's TERM to whatever stage 3 left is left out (it depends on timing). */
export const runitLines = (lines: string[]): string[] =>
  lines.filter((line) => line.startsWith('- runit: ') && line !== '- runit: sending TERM signal to all processes...');
