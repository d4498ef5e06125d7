// Without a usable /dev/console runit keeps the fds it was started with, and stage 1 says why it did
// not get the console.
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot } from '@runit-ts/test-support';
import { FLAVOURS } from './support/flavours.js';
import { BootedNamespace } from './support/namespace.js';
import { line, NOSYNC, poweredOff, script } from './support/scenario.js';

describe.each(FLAVOURS)('%s: console', (_, flavour) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('writes to the inherited stderr when /dev/console cannot be opened; stage 1 warns', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-noconsole-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      brokenConsole: true,
      etc: { '1': script('echo "stage 1: fd 0 is $(readlink /proc/self/fd/0)"'), '2': script('true'), '3': script('true'), nosync: NOSYNC },
    });
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const runitLines = ns.output.split('\n').filter((l) => l.startsWith('- runit: '));
    expect(runitLines.map((l) => l.replace(/\$Id: [^$]* \$/, '$Id$'))).toEqual(
      poweredOff([
        '- runit: warning: unable to open /dev/console: device not configured',
        line.enter(1),
        line.leave(1),
        line.enter(2),
        line.leave(2),
        line.enter(3),
        line.leave(3),
      ]),
    );
    expect(ns.output).toContain('stage 1: fd 0 is /dev/null');
    expect(ns.console.text).toBe('');
  });
});
