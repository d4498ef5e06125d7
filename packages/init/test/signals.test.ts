// The signals PID 1 acts on: SIGINT (Ctrl-Alt-Del) with and without /etc/runit/ctrlaltdel, CONT and
// INT outside stage 2, and the signals it must survive without acting.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot } from '@runit-ts/test-support';
import { FLAVOURS, type InitFlavour } from './support/flavours.js';
import { BootedNamespace, type BootOptions } from './support/namespace.js';
import { line, NOSYNC, normalStages, poweredOff, script, waitingStage } from './support/scenario.js';

const CTRLALTDEL = '/etc/runit/ctrlaltdel';

/** A stage that says it is up and ends when the test creates `<dir>/<name>.go`. */
const stageUntilGo = (dir: string, name: string): string =>
  script(`echo "${name}: up"`, `while [ ! -e ${dir}/${name}.go ]; do sleep 0.05; done`);

describe.each(FLAVOURS)('%s: signals', (_, flavour) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  function boot(prefix: string, etc: (dir: string, f: InitFlavour) => BootOptions['etc']): { f: InitFlavour; ns: BootedNamespace; dir: string } {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir(prefix);
    const ns = new BootedNamespace(cleanup, dir, { command: [f.runit], etc: { nosync: NOSYNC, ...etc(dir, f) } });
    return { f, ns, dir };
  }

  it('runs ctrlaltdel on SIGINT, waits for it, then acts as on SIGCONT (its runit-init 0 stops stage 2)', async () => {
    const { ns } = boot('runit-init-cad-', (_dir, f) => ({
      '1': script('true'),
      '2': waitingStage('stage 2'),
      '3': script('true'),
      ctrlaltdel: script('echo "ctrlaltdel: ran"', `exec ${f.runitInit} 0`),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('INT');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const lines = ns.console.runitLines();
    expect(lines.filter((l) => l !== line.signalsOnly)).toEqual(
      poweredOff([
        line.enter(1),
        line.leave(1),
        line.enter(2),
        line.ctrlAltDel,
        line.enter(CTRLALTDEL),
        line.leave(CTRLALTDEL),
        line.leave(2),
        line.enter(3),
        line.leave(3),
      ]),
    );
    // The SIGCONT that ctrlaltdel's runit-init sent came while runit was blocking signals (it waited
    // for ctrlaltdel): it stays pending and counts in stage 3 (runit's line may come before or after
    // stage 3's `enter stage`, which its child prints).
    expect(lines.filter((l) => l === line.signalsOnly)).toHaveLength(1);
    expect(lines.indexOf(line.signalsOnly)).toBeGreaterThan(lines.indexOf(line.leave(2)));
    expect(lines.indexOf(line.signalsOnly)).toBeLessThan(lines.indexOf(line.leave(3)));
    expect(ns.console.lines()).toContain('ctrlaltdel: ran');
  });

  it('warns about the SIGCONT left pending by ctrlaltdel even when stage 3 ends at once', async () => {
    // stage 3 is /bin/true through a #! line: no shell, it can end before the init has looked around
    const { ns } = boot('runit-init-cad-fast3-', (_dir, f) => ({
      '1': script('true'),
      '2': waitingStage('stage 2'),
      '3': '#!/bin/true\n',
      ctrlaltdel: script(`exec ${f.runitInit} 0`),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('INT');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const lines = ns.console.runitLines();
    expect(lines.filter((l) => l === line.signalsOnly)).toHaveLength(1);
    expect(lines.indexOf(line.signalsOnly)).toBeGreaterThan(lines.indexOf(line.leave(2)));
    expect(lines.indexOf(line.signalsOnly)).toBeLessThan(lines.indexOf(line.leave(3)));
  });

  it('does nothing on SIGINT without ctrlaltdel, even with stopit armed; SIGCONT then stops stage 2', async () => {
    const { f, ns } = boot('runit-init-nocad-', () => ({ '1': script('true'), '2': waitingStage('stage 2'), '3': script('true') }));
    await ns.console.waitForLine('stage 2: up');
    await ns.exec(['sh', '-c', `: > ${f.stopit} && chmod 100 ${f.stopit}`]);
    await ns.signalInit('INT');
    await ns.signalInit('CONT');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
  });

  it('ignores SIGCONT while stopit is not owner-executable', async () => {
    const { f, ns } = boot('runit-init-nostopit-', () => ({ '1': script('true'), '2': waitingStage('stage 2'), '3': script('true') }));
    await ns.console.waitForLine('stage 2: up');
    await ns.exec(['sh', '-c', `: > ${f.stopit} && chmod 644 ${f.stopit}`]);
    await ns.signalInit('CONT');
    await ns.runitInit(f, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
  });

  it('prints "signals only work in stage 2." for SIGCONT in stage 1 and SIGINT in stage 3', async () => {
    const { ns, dir } = boot('runit-init-outside2-', (d) => ({
      '1': stageUntilGo(d, 'stage1'),
      '2': script('true'),
      '3': stageUntilGo(d, 'stage3'),
      ctrlaltdel: script('echo "ctrlaltdel: ran"'),
    }));
    await ns.console.waitForLine('stage1: up');
    await ns.signalInit('CONT');
    await ns.console.waitForLine(line.signalsOnly);
    writeFileSync(join(dir, 'stage1.go'), '');
    await ns.console.waitForLine('stage3: up');
    await ns.signalInit('INT');
    await ns.console.waitForLine(line.signalsOnly, 2);
    writeFileSync(join(dir, 'stage3.go'), '');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(
      poweredOff([line.enter(1), line.signalsOnly, line.leave(1), line.enter(2), line.leave(2), line.enter(3), line.signalsOnly, line.leave(3)]),
    );
    expect(ns.console.lines()).not.toContain('ctrlaltdel: ran');
  });

  it('survives signals it does not act on, from inside the namespace and from the host', async () => {
    const { f, ns } = boot('runit-init-survive-', () => ({ '1': script('true'), '2': waitingStage('stage 2'), '3': script('true') }));
    await ns.console.waitForLine('stage 2: up');
    // Debian's runit 2.1.2 also shuts down on SIGALRM and SIGPWR (Debian patches); upstream runit and
    // ours do not act on them.
    const debianOnly = f.name === 'ours' ? ['ALRM', 'PWR'] : [];
    for (const signal of ['TERM', 'HUP', 'QUIT', 'USR2', 'PIPE', 'WINCH', 'TSTP', ...debianOnly]) await ns.signalInit(signal);
    const init = await ns.initPid();
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) process.kill(init, signal);
    await ns.runitInit(f, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff(normalStages));
  });
});
