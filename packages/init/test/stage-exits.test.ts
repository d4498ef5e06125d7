// How runit treats each way a stage can end: exit 111 and crashes of stage 2 (restart), exit 100 and
// crashes of stage 1 (skip stage 2), a stage that cannot be executed, and a stage 2 that ignores TERM.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot } from '@runit-ts/test-support';
import { FLAVOURS, type InitFlavour } from './support/flavours.js';
import { BootedNamespace, type BootOptions } from './support/namespace.js';
import { line, NOSYNC, normalStages, poweredOff, script, waitingStage } from './support/scenario.js';

/** A stage that behaves as `first` on its first run and exits 0 on later ones; each run says its number. */
function failsOnce(dir: string, name: string, first: string): string {
  const counter = join(dir, `${name.replace(/\W/g, '-')}.runs`);
  return script(
    `n=$(($(cat ${counter} 2>/dev/null || echo 0) + 1)); echo $n > ${counter}`,
    `echo "${name}: run $n"`,
    `if [ $n = 1 ]; then ${first}; fi`,
    'exit 0',
  );
}

describe.each(FLAVOURS)('%s: stage exits', (_, flavour) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function boot(prefix: string, etc: (dir: string) => BootOptions['etc']): Promise<{ f: InitFlavour; ns: BootedNamespace }> {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir(prefix);
    const ns = new BootedNamespace(cleanup, dir, { command: [f.runit], etc: { nosync: NOSYNC, ...etc(dir) } });
    return { f, ns };
  }

  it('kills stage 2 exiting 111 with its process group and restarts it 5 s later', async () => {
    const { ns } = await boot('runit-init-111-', (dir) => ({
      '1': script('true'),
      // The first run leaves a process in its group, records its pid, and fails with 111; the second
      // run reports whether that process was killed (gone, or a zombie waiting for PID 1).
      '2': script(
        `n=$(($(cat ${dir}/runs 2>/dev/null || echo 0) + 1)); echo $n > ${dir}/runs`,
        'if [ $n = 1 ]; then',
        `  sleep 100000 & echo $! > ${dir}/leftover; exit 111`,
        'fi',
        `state=$(sed 's/.*) //; s/ .*//' /proc/$(cat ${dir}/leftover)/stat 2>/dev/null)`,
        'if [ -z "$state" ] || [ "$state" = Z ]; then echo "stage 2: leftover killed"; else echo "stage 2: leftover alive"; fi',
      ),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([
        line.enter(1),
        line.leave(1),
        line.enter(2),
        line.failed(2),
        line.killingStage2,
        line.restarting,
        line.enter(2),
        line.leave(2),
        line.enter(3),
        line.leave(3),
      ]),
    );
    expect(ns.console.lines()).toContain('stage 2: leftover killed');
  });

  it('skips stage 2 when stage 1 exits 100', async () => {
    const { ns } = await boot('runit-init-100-', () => ({
      '1': script('exit 100'),
      '2': script('echo "stage 2: ran"'),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([line.enter(1), line.failed(1), line.leave(1), line.skipping, line.enter(3), line.leave(3)]),
    );
    expect(ns.console.lines()).not.toContain('stage 2: ran');
  });

  it('goes on to stage 3 when stage 2 exits with another code', async () => {
    const { ns } = await boot('runit-init-exit3-', () => ({ '1': script('exit 3'), '2': script('exit 3'), '3': script('exit 3') }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([line.enter(1), line.failed(1), line.leave(1), line.enter(2), line.failed(2), line.leave(2), line.enter(3), line.failed(3), line.leave(3)]),
    );
  });

  it(`treats a stage 2 killed by a signal as ${flavour().crashIsFailure ? 'a crash and restarts it (2.3.0)' : 'a normal exit (2.1.2)'}`, async () => {
    const { f, ns } = await boot('runit-init-crash2-', (dir) => ({
      '1': script('true'),
      '2': failsOnce(dir, 'stage 2', 'kill -KILL $$'),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const middle = f.crashIsFailure
      ? [line.enter(1), line.leave(1), line.enter(2), line.crashed(2), line.killingStage2, line.restarting, line.enter(2), line.leave(2), line.enter(3), line.leave(3)]
      : normalStages;
    expect(ns.console.runitLines()).toEqual(poweredOff(middle));
  });

  it(`treats stage 1 and stage 3 killed by a signal as ${flavour().crashIsFailure ? 'crashes: stage 2 is skipped (2.3.0)' : 'normal exits (2.1.2)'}`, async () => {
    const { f, ns } = await boot('runit-init-crash13-', () => ({
      '1': script('kill -KILL $$'),
      '2': script('true'),
      '3': script('kill -KILL $$'),
    }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const middle = f.crashIsFailure
      ? [line.enter(1), line.crashed(1), line.leave(1), line.skipping, line.enter(3), line.crashed(3), line.leave(3)]
      : normalStages;
    expect(ns.console.runitLines()).toEqual(poweredOff(middle));
  });

  it('reports a stage that cannot be executed and goes on as if it had exited 0', async () => {
    const { ns } = await boot('runit-init-noexec-', () => ({
      '1': script('true'),
      '2': { text: 'not executable', mode: 0o644 },
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([
        line.enter(1),
        line.leave(1),
        line.enter(2),
        '- runit: fatal: unable to start child: /etc/runit/2: access denied',
        line.leave(2),
        line.enter(3),
        line.leave(3),
      ]),
    );
  });

  it('sends SIGKILL to a stage 2 that ignores SIGTERM for 5 s after runit-init 0', async () => {
    const { f, ns } = await boot('runit-init-noterm-', () => ({
      '1': script('true'),
      '2': script("trap '' TERM", 'echo "stage 2: up"', 'while :; do sleep 1; done'),
      '3': script('true'),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(f, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([line.enter(1), line.leave(1), line.enter(2), line.notTerminated, line.leave(2), line.enter(3), line.leave(3)]),
    );
  });

  it('runs a missing stage 3 as a failed exec, then powers off', async () => {
    const { ns } = await boot('runit-init-nostage3-', () => ({ '1': script('true'), '2': waitingStage('stage 2') }));
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(flavour(), '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([
        line.enter(1),
        line.leave(1),
        line.enter(2),
        line.leave(2),
        line.enter(3),
        '- runit: fatal: unable to start child: /etc/runit/3: file does not exist',
        line.leave(3),
      ]),
    );
  });
});
