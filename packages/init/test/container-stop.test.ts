// Container mode as PID 1 of a PID + mount namespace (a container's stand-in): SIGTERM stops the
// services within the grace and PID 1 exits 0 as soon as nothing is left; whatever ignores TERM is
// killed when the grace is over; escaped (setsid) processes are stopped too; stage 3 and the stop of
// stage 1 or 2 are bounded by the grace. Without /etc/runit/container, SIGTERM changes nothing.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot } from '@runit-ts/test-support';
import { containerFile, containerLine, ignoresTerm, runsvdirStage, svStopStage, trapsTerm, writeServices } from './support/container-scenario.js';
import { OURS, REPO_BIN } from './support/flavours.js';
import { BootedNamespace, type BootOptions } from './support/namespace.js';
import { line, NOSYNC, poweredOff, script, waitingStage } from './support/scenario.js';

/** A grace no stop here may wait for: the tests wait for the end for a good deal less. */
const LONG_GRACE = 60;
const WELL_BELOW_LONG_GRACE_MS = 30_000;

describe('ours: container mode, stopping', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  function boot(prefix: string, etc: (dir: string, svdir: string) => BootOptions['etc']): { ns: BootedNamespace; dir: string; svdir: string } {
    requireRoot();
    const dir = cleanup.tempDir(prefix);
    const svdir = join(dir, 'service');
    const ns = new BootedNamespace(cleanup, dir, { command: [OURS.runit], etc: { nosync: NOSYNC, ...etc(dir, svdir) } });
    return { ns, dir, svdir };
  }

  it('stops on SIGTERM: services that take 2 s to stop get TERM even when stage 3 does nothing, and PID 1 exits 0 without waiting for the grace', async () => {
    const { ns } = boot('runit-container-term-', (_dir, svdir) => {
      writeServices(svdir, { a: { run: trapsTerm('a', 2) }, b: { run: trapsTerm('b', 2) } });
      return { container: containerFile(`grace=${LONG_GRACE}`), '1': script('true'), '2': runsvdirStage(REPO_BIN, svdir), '3': script('true') };
    });
    await ns.console.waitForLine('a: up');
    await ns.console.waitForLine('b: up');
    await ns.signalInit('TERM');
    expect(await ns.end(WELL_BELOW_LONG_GRACE_MS)).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(LONG_GRACE),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      containerLine.stopOnTerm,
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.termAll,
      containerLine.exit(0),
    ]);
    const lines = ns.console.lines();
    for (const name of ['a', 'b']) {
      expect(lines).toContain(`${name}: TERM`);
      expect(lines.indexOf(`${name}: stopped`)).toBeGreaterThan(lines.indexOf(containerLine.termAll));
      expect(lines.indexOf(`${name}: stopped`)).toBeLessThan(lines.indexOf(containerLine.exit(0)));
    }
  });

  it('stops an escaped (setsid) process that stage 3 left behind, and waits for it', async () => {
    const escaped = `setsid sh -c 'trap "echo escaped: TERM; sleep 1; echo escaped: stopped; exit 0" TERM; echo escaped: up; sleep 100000 & wait' &`;
    const { ns } = boot('runit-container-setsid-', (_dir, svdir) => {
      writeServices(svdir, { svc: { run: script(escaped, 'echo "svc: up"', 'exec sleep 100000') } });
      return { container: containerFile(`grace=${LONG_GRACE}`), '1': script('true'), '2': runsvdirStage(REPO_BIN, svdir), '3': svStopStage(REPO_BIN, svdir) };
    });
    await ns.console.waitForLine('svc: up');
    await ns.console.waitForLine('escaped: up');
    await ns.signalInit('TERM');
    expect(await ns.end(WELL_BELOW_LONG_GRACE_MS)).toEqual({ code: 0, signal: null });
    const lines = ns.console.lines();
    expect(ns.console.runitLines().slice(-3)).toEqual([line.leave(3), containerLine.termAll, containerLine.exit(0)]);
    expect(lines.indexOf('escaped: TERM')).toBeGreaterThan(lines.indexOf(containerLine.termAll));
    expect(lines).toContain('escaped: stopped');
    expect(lines.indexOf('escaped: stopped')).toBeLessThan(lines.indexOf(containerLine.exit(0)));
  });

  it('sends nothing more when nothing is left after stage 3', async () => {
    const { ns } = boot('runit-container-clean3-', () => ({
      container: containerFile(`grace=${LONG_GRACE}`),
      '1': script('true'),
      '2': waitingStage('stage 2'),
      '3': script('echo "stage 3: ran"'),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('TERM');
    expect(await ns.end(WELL_BELOW_LONG_GRACE_MS)).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(LONG_GRACE),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      containerLine.stopOnTerm,
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.exit(0),
    ]);
    expect(ns.console.lines()).toContain('stage 3: ran');
  });

  it('kills a service that ignores TERM when the grace is over', async () => {
    const { ns } = boot('runit-container-ignore-', (_dir, svdir) => {
      writeServices(svdir, { stubborn: { run: ignoresTerm('stubborn') } });
      return { container: containerFile('grace=1'), '1': script('true'), '2': runsvdirStage(REPO_BIN, svdir), '3': script('true') };
    });
    await ns.console.waitForLine('stubborn: up');
    await ns.signalInit('TERM');
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(1),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      containerLine.stopOnTerm,
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.termAll,
      line.killAll,
      containerLine.exit(0),
    ]);
  });

  it('cuts a stage 3 that is still running when the grace is over', async () => {
    const { ns } = boot('runit-container-slow3-', (_dir, svdir) => {
      writeServices(svdir, { stubborn: { run: ignoresTerm('stubborn') } });
      return { container: containerFile('grace=1'), '1': script('true'), '2': runsvdirStage(REPO_BIN, svdir), '3': svStopStage(REPO_BIN, svdir) };
    });
    await ns.console.waitForLine('stubborn: up');
    await ns.signalInit('TERM');
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines().slice(-6)).toEqual([
      containerLine.stopOnTerm,
      line.leave(2),
      line.enter(3),
      containerLine.graceOverInStage3,
      line.killAll,
      containerLine.exit(0),
    ]);
  });

  it('kills a stage 2 that ignores TERM when the grace ends before runit\'s 5 s, and then has no time for stage 3', async () => {
    const { ns } = boot('runit-container-stage2-', () => ({
      container: containerFile('grace=0.5'),
      '1': script('true'),
      '2': script("trap '' TERM", 'echo "stage 2: up"', 'exec sleep 100000'),
      '3': script('echo "stage 3: ran"'),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('TERM');
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(0.5),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      containerLine.stopOnTerm,
      line.notTerminated,
      line.leave(2),
      containerLine.graceOverBeforeStage3,
      containerLine.exit(0),
    ]);
    expect(ns.console.lines()).not.toContain('stage 3: ran');
  });

  it('stops stage 1 on SIGTERM, skips stage 2, runs stage 3, then stops what stage 1 left', async () => {
    const { ns } = boot('runit-container-stage1-', () => ({
      container: containerFile(`grace=${LONG_GRACE}`),
      // "up" once the background sleep exists: a TERM between the two would leave nothing to stop
      '1': script(`trap 'echo "stage 1: TERM"; exit 0' TERM`, 'sleep 100000 &', 'echo "stage 1: up"', 'wait'),
      '2': script('echo "stage 2: ran"'),
      '3': script('echo "stage 3: ran"'),
    }));
    await ns.console.waitForLine('stage 1: up');
    await ns.signalInit('TERM');
    expect(await ns.end(WELL_BELOW_LONG_GRACE_MS)).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(LONG_GRACE),
      line.enter(1),
      containerLine.stopOnTerm,
      line.leave(1),
      line.enter(3),
      line.leave(3),
      // stage 1's trap left its background sleep running
      containerLine.termAll,
      containerLine.exit(0),
    ]);
    expect(ns.console.lines()).toContain('stage 1: TERM');
    expect(ns.console.lines()).not.toContain('stage 2: ran');
    expect(ns.console.lines()).toContain('stage 3: ran');
  });

  it('takes runit-init 0 as the same bounded stop, and exits instead of powering off', async () => {
    const { ns } = boot('runit-container-init0-', () => ({
      container: containerFile(`grace=${LONG_GRACE}`),
      '1': script('true'),
      '2': waitingStage('stage 2'),
      '3': script('true'),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(OURS, '0');
    expect(await ns.end(WELL_BELOW_LONG_GRACE_MS)).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(LONG_GRACE),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.exit(0),
    ]);
  });
});

describe('ours: without container mode', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('ignores SIGTERM as runit does: services are not stopped, and runit-init 0 powers off with KILL', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-container-off-');
    const svdir = join(dir, 'service');
    writeServices(svdir, { a: { run: trapsTerm('a', 0) } });
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runit],
      etc: { nosync: NOSYNC, '1': script('true'), '2': runsvdirStage(REPO_BIN, svdir), '3': script('true') },
    });
    await ns.console.waitForLine('a: up');
    await ns.signalInit('TERM');
    process.kill(await ns.initPid(), 'SIGTERM');
    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
    expect(ns.console.lines()).not.toContain('a: TERM');
  });

  it('refuses container mode when /proc cannot tell that PID 1 is in a PID namespace', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-container-noproc-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runit],
      withoutProc: true,
      etc: { nosync: NOSYNC, container: containerFile(), '1': script('mount -t proc proc /proc'), '2': waitingStage('stage 2'), '3': script('true') },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('TERM');
    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const [booting, ...rest] = poweredOff();
    expect(ns.console.runitLines()).toEqual([booting, containerLine.refused, ...rest]);
  });
});
