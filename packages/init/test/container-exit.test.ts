// Container mode's exit code, as PID 1 of a PID + mount namespace: the code written to
// /run/runit/container-exit-code, a stage 2 (or a stage 1 skipping stage 2) that ends by itself
// (128 + n for signal n), and a designated main service whose end ends the container, under our
// runsvdir and under runit's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot } from '@runit-ts/test-support';
import { containerFile, containerLine, recordingFinish, runsvdirStage, trapsTerm, writeServices } from './support/container-scenario.js';
import { OURS, REPO_BIN, referenceFlavour, supervisionBin } from './support/flavours.js';
import { BootedNamespace, type BootOptions } from './support/namespace.js';
import { line, NOSYNC, script, waitingStage } from './support/scenario.js';

const EXIT_CODE_FILE = '/run/runit/container-exit-code';

/**
 * A ./run that says it is up, waits for DIR/NAME.go, takes it, then runs `then` (e.g. `exit 3`); the
 * run runsv starts next waits again (for the container's stop).
 */
const runUntilGo = (dir: string, name: string, then: string): string =>
  script(`echo "${name}: up"`, `while ! rm ${dir}/${name}.go 2>/dev/null; do sleep 0.05; done`, then);

describe('ours: container mode, the exit code', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  function boot(prefix: string, etc: (dir: string, svdir: string) => BootOptions['etc'], beforeInit?: string): { ns: BootedNamespace; dir: string; svdir: string } {
    requireRoot();
    const dir = cleanup.tempDir(prefix);
    const svdir = join(dir, 'service');
    const ns = new BootedNamespace(cleanup, dir, { command: [OURS.runit], etc: { nosync: NOSYNC, ...etc(dir, svdir) }, beforeInit });
    return { ns, dir, svdir };
  }

  it('exits with the code stage 3 wrote to the exit-code file, after clearing one left from a previous run', async () => {
    const { ns } = boot(
      'runit-container-code-',
      () => ({
        container: containerFile(),
        '1': script(`cat ${EXIT_CODE_FILE} 2>/dev/null || echo "stage 1: no code"`),
        '2': waitingStage('stage 2'),
        '3': script(`echo 42 > ${EXIT_CODE_FILE}`),
      }),
      // what a previous run of the container left behind (a restarted container keeps its files)
      `mkdir -p /run/runit && echo 9 > ${EXIT_CODE_FILE}`,
    );
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('TERM');
    expect(await ns.end()).toEqual({ code: 42, signal: null });
    expect(ns.console.runitLines().slice(-1)).toEqual([containerLine.exit(42)]);
    expect(ns.console.lines()).toContain('stage 1: no code');
  });

  it('ignores an exit-code file that holds no code 0-255, with a warning', async () => {
    const { ns } = boot('runit-container-badcode-', () => ({
      container: containerFile(),
      '1': script('true'),
      '2': waitingStage('stage 2'),
      '3': script(`echo 256 > ${EXIT_CODE_FILE}`),
    }));
    await ns.console.waitForLine('stage 2: up');
    await ns.signalInit('TERM');
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines().slice(-2)).toEqual([containerLine.exitCodeIgnored, containerLine.exit(0)]);
  });

  it.each([
    ['exit 5', 5, line.failed(2)],
    ['exit 0', 0, undefined],
    // runit restarts a stage 2 that exits 111 or crashes; in container mode the container ends
    ['exit 111', 111, line.failed(2)],
    ['kill -KILL $$', 128 + 9, line.crashed(2)],
    ['kill -USR1 $$', 128 + 10, line.crashed(2)],
  ])('ends when stage 2 ends by itself (%s): exit %i, no restart', async (end, code, warning) => {
    const { ns } = boot('runit-container-stage2-', () => ({
      container: containerFile(),
      '1': script('true'),
      '2': script(end),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(5),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      ...(warning ? [warning] : []),
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.exit(code),
    ]);
  });

  it('ends with stage 1\'s code when it skips stage 2 (exit 100)', async () => {
    const { ns } = boot('runit-container-stage1-', () => ({
      container: containerFile(),
      '1': script('exit 100'),
      '2': script('echo "stage 2: ran"'),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: 100, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(5),
      line.enter(1),
      line.failed(1),
      line.leave(1),
      line.skipping,
      line.enter(3),
      line.leave(3),
      containerLine.exit(100),
    ]);
  });

  it('lets the exit-code file win over stage 2\'s own code', async () => {
    const { ns } = boot('runit-container-filewins-', () => ({
      container: containerFile(),
      '1': script('true'),
      '2': script('exit 7'),
      '3': script(`echo 0 > ${EXIT_CODE_FILE}`),
    }));
    expect(await ns.end()).toEqual({ code: 0, signal: null });
  });

  it('reports the lines of the container file it does not understand, and goes on with the rest', async () => {
    const { ns } = boot('runit-container-settings-', () => ({
      container: containerFile('# a comment', '', 'grace=soon', 'main=relative/dir', 'speed=11', 'grace = 2.5'),
      '1': script('true'),
      '2': script('true'),
      '3': script('true'),
    }));
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(ns.console.runitLines().slice(0, 5)).toEqual([
      line.booting,
      containerLine.ignoredLine('grace=soon'),
      containerLine.ignoredLine('main=relative/dir'),
      containerLine.ignoredLine('speed=11'),
      containerLine.mode(2.5),
    ]);
  });
});

describe.each([
  ['our runsvdir', () => REPO_BIN],
  ['runit\'s runsvdir', () => supervisionBin(referenceFlavour())],
])('ours: container mode, the main service under %s', (_, supervision) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  function boot(prefix: string, mainFiles: (dir: string) => Record<string, string>): { ns: BootedNamespace; dir: string; main: string } {
    requireRoot();
    const dir = cleanup.tempDir(prefix);
    const svdir = join(dir, 'service');
    const main = join(svdir, 'app');
    writeServices(svdir, { app: mainFiles(dir), other: { run: trapsTerm('other', 0) } });
    const bin = supervision();
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runit],
      etc: { nosync: NOSYNC, container: containerFile(`main=${main}`), '1': script('true'), '2': runsvdirStage(bin, svdir), '3': script('true') },
    });
    return { ns, dir, main };
  }

  async function mainEnds(ns: BootedNamespace, dir: string): Promise<void> {
    await ns.console.waitForLine('app: up');
    await ns.console.waitForLine('other: up');
    writeFileSync(join(dir, 'app.go'), '');
  }

  it('ends the container with the code its ./finish recorded, the other services stopped with TERM', async () => {
    const { ns, dir, main } = boot('runit-container-main-', (d) => ({ run: runUntilGo(d, 'app', 'exit 3'), finish: recordingFinish }));
    await mainEnds(ns, dir);
    expect(await ns.end()).toEqual({ code: 3, signal: null });
    expect(ns.console.runitLines()).toEqual([
      line.booting,
      containerLine.mode(5, main),
      line.enter(1),
      line.leave(1),
      line.enter(2),
      containerLine.mainEnded(main),
      line.leave(2),
      line.enter(3),
      line.leave(3),
      containerLine.termAll,
      containerLine.exit(3),
    ]);
    expect(ns.console.lines()).toContain('other: stopped');
  });

  it('gives 128 + n for a main service killed by signal n (its ./finish gets -1 n)', async () => {
    const { ns, dir } = boot('runit-container-mainsig-', (d) => ({ run: runUntilGo(d, 'app', 'kill -USR2 $$'), finish: recordingFinish }));
    await mainEnds(ns, dir);
    expect(await ns.end()).toEqual({ code: 128 + 12, signal: null });
  });

  it('ends with 1 and a warning when the main service has no ./finish to record its code', async () => {
    const { ns, dir } = boot('runit-container-mainnocode-', (d) => ({ run: runUntilGo(d, 'app', 'exit 0') }));
    await mainEnds(ns, dir);
    expect(await ns.end()).toEqual({ code: 1, signal: null });
    expect(ns.console.runitLines().slice(-2)).toEqual([containerLine.mainCodeUnknown(1), containerLine.exit(1)]);
  });
});
