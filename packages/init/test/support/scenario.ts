// Building blocks of the PID 1 scenarios: stage scripts and runit's transcripts.

/** A /bin/sh script from its lines. */
export const script = (...lines: string[]): string => `#!/bin/sh\n${lines.join('\n')}\n`;

/** /etc/runit/nosync: spares the host a sync() at every test shutdown (runit honours it). */
export const NOSYNC = { text: '', mode: 0o644 };

/** A stage that says it is up, then sleeps until it is stopped. */
export const waitingStage = (name: string): string => script(`echo "${name}: up"`, 'exec sleep 100000');

export const line = {
  booting: '- runit: $Id$: booting.',
  enter: (n: number | string) => `- runit: enter stage: ${typeof n === 'number' ? `/etc/runit/${n}` : n}`,
  leave: (n: number | string) => `- runit: leave stage: ${typeof n === 'number' ? `/etc/runit/${n}` : n}`,
  crashed: (n: number) => `- runit: warning: child crashed: /etc/runit/${n}`,
  failed: (n: number) => `- runit: warning: child failed: /etc/runit/${n}`,
  skipping: '- runit: warning: skipping stage 2...',
  killingStage2: '- runit: warning: killing all processes in stage 2...',
  restarting: '- runit: warning: restarting.',
  signalsOnly: '- runit: warning: signals only work in stage 2.',
  ctrlAltDel: '- runit: ctrl-alt-del request...',
  notTerminated: '- runit: warning: stage 2 not terminated, sending sigkill...',
  killAll: '- runit: sending KILL signal to all processes...',
  powerOff: '- runit: power off...',
  reboot: '- runit: system reboot.',
  halt: '- runit: system halt.',
};

/** Stages 1, 2, 3 in turn, each ending normally. */
export const normalStages = [line.enter(1), line.leave(1), line.enter(2), line.leave(2), line.enter(3), line.leave(3)];

/** The whole transcript of a boot that ends in a power-off after stage 3. */
export const poweredOff = (middle: string[] = normalStages): string[] => [line.booting, ...middle, line.killAll, line.powerOff];
