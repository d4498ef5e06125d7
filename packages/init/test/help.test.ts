// `runit --help` and `runit-init --help` outside process no 1: the usage line and where the manual is,
// on stdout, exit 0. As process no 1 (the kernel's arguments), --help is not an option.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cleanup, helpAnswer, launcherOf, requireRoot, runCommand } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OURS } from './support/flavours.js';
import { BootedNamespace } from './support/namespace.js';
import { NOSYNC, poweredOff, script, waitingStage } from './support/scenario.js';

const packageJson = new URL('../package.json', import.meta.url);
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('--help outside process no 1', () => {
  it.each([
    ['runit', 'usage: runit  (process no 1 only: started by the kernel, or by runit-init)'],
    ['runit-init', 'usage: runit-init 0|6'],
  ])('%s: prints the usage line and the manual page, exit 0', (command, usage) => {
    const page = fileURLToPath(new URL(`../man/${command}.8`, import.meta.url));
    expect(runCommand(launcherOf(packageJson, command), ['--help'])).toEqual(helpAnswer(usage, command, page));
    // roff escapes the title's dash: RUNIT\-INIT.
    expect(readFileSync(page, 'utf8').startsWith(`.TH "${command.toUpperCase().replace('-', '\\-')}" "8" `)).toBe(true);
  });
});

describe('--help as process no 1', () => {
  it('runit-init --help, started as PID 1, becomes runit and boots', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-help-pid1-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runitInit, '--help'],
      etc: { '1': script('exit 0'), '2': waitingStage('stage 2'), '3': script('exit 0'), nosync: NOSYNC },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
    expect(ns.output).toBe('');
  });
});
