// Container mode's parts on their own: the container file's settings, the exit-code file, the stop's
// books (with a clock of our own), and the main service's judge and watch (real files, real inotify).
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeStatus, type SuperviseStatus, tai64nFromMillis } from '@runit-ts/protocol';
import { exitedWith } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { inPidNamespace, parseContainerSettings } from '../src/container-settings.js';
import { ContainerStop, exitCodeOf } from '../src/container-stop.js';
import { parseExitCode, prepareExitCodeFile, readExitCodeFile } from '../src/exit-code-file.js';
import { DEFAULT_GRACE_MS } from '../src/index.js';
import { MainRunJudge, MainServiceWatch } from '../src/main-service.js';

describe('the container file', () => {
  it('gives the default grace and no main service when empty', () => {
    expect(parseContainerSettings('')).toEqual({ settings: { graceMs: DEFAULT_GRACE_MS, main: undefined }, ignored: [] });
    expect(DEFAULT_GRACE_MS).toBe(5000);
  });

  it('reads grace (seconds, fractions allowed) and main (absolute), skips comments, later lines win', () => {
    const text = '# grace for the pod\ngrace=8\n\n  main = /etc/service/app  \ngrace=0.25\n';
    expect(parseContainerSettings(text)).toEqual({ settings: { graceMs: 250, main: '/etc/service/app' }, ignored: [] });
    expect(parseContainerSettings('grace=0').settings.graceMs).toBe(0);
  });

  it('lists what it does not understand and keeps the defaults for it', () => {
    const parsed = parseContainerSettings('grace=-1\ngrace=1e3\ngrace=\nmain=app\nmain\nverbose=1\n');
    expect(parsed.settings).toEqual({ graceMs: DEFAULT_GRACE_MS, main: undefined });
    expect(parsed.ignored).toEqual(['grace=-1', 'grace=1e3', 'grace=', 'main=app', 'main', 'verbose=1']);
  });

  it('is refused in the host\'s PID namespace and when /proc cannot tell', () => {
    expect(inPidNamespace(() => 'pid:[4026531836]')).toBe(false);
    expect(inPidNamespace(() => 'pid:[4026532718]')).toBe(true);
    expect(
      inPidNamespace(() => {
        throw Object.assign(new Error('no /proc'), { code: 'ENOENT' });
      }),
    ).toBe(false);
    // this test process runs in the host's namespace (or a container's): the real link answers
    expect(typeof inPidNamespace()).toBe('boolean');
  });
});

describe('the exit-code file', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('holds a decimal code 0-255, white space around it allowed', () => {
    expect(parseExitCode('0')).toBe(0);
    expect(parseExitCode('3\n')).toBe(3);
    expect(parseExitCode('  255 \n')).toBe(255);
    for (const bad of ['', '\n', '256', '-1', '1.5', '0x10', '3 4', 'three', '1000']) expect(parseExitCode(bad)).toBeUndefined();
  });

  it('is made room for and cleared at boot, then read as none, invalid or a code', () => {
    const dir = cleanup.tempDir('runit-exit-code-');
    const file = join(dir, 'run', 'runit', 'container-exit-code');
    prepareExitCodeFile(file);
    expect(readExitCodeFile(file)).toEqual({ kind: 'none' });
    writeFileSync(file, '42\n');
    expect(readExitCodeFile(file)).toEqual({ kind: 'code', code: 42 });
    // only a few bytes are read: a file longer than that is no code
    writeFileSync(file, `7${' '.repeat(100)}\n`);
    expect(readExitCodeFile(file)).toEqual({ kind: 'invalid' });
    writeFileSync(file, 'not a code');
    expect(readExitCodeFile(file)).toEqual({ kind: 'invalid' });
    prepareExitCodeFile(file);
    expect(readExitCodeFile(file)).toEqual({ kind: 'none' });
  });
});

describe('the stop\'s books', () => {
  it('starts the grace at the first cause only, and counts it down', () => {
    let now = 1000;
    const stop = new ContainerStop(5000, () => now);
    expect(stop.stopping).toBe(false);
    expect(stop.remainingMs()).toBe(Infinity);
    stop.begin({ kind: 'request' });
    now += 2000;
    stop.begin({ kind: 'stage', code: 3 });
    expect(stop.remainingMs()).toBe(3000);
    expect(stop.expired()).toBe(false);
    now += 3000;
    expect(stop.expired()).toBe(true);
    expect(stop.exitCode(undefined)).toBe(0);
  });

  it('ends with the recorded code, else the cause\'s: a stage\'s code, 1 for a main service', () => {
    const stage = new ContainerStop(0);
    stage.begin({ kind: 'stage', code: 137 });
    expect(stage.exitCode(undefined)).toBe(137);
    expect(stage.exitCode(0)).toBe(0);
    const main = new ContainerStop(0);
    main.begin({ kind: 'main', dir: '/etc/service/app' });
    expect(main.causedByMain).toBe(true);
    expect(main.exitCode(undefined)).toBe(1);
    expect(main.exitCode(3)).toBe(3);
  });

  it('turns an end by signal n into 128 + n', () => {
    expect(exitCodeOf(exitedWith(1, 5))).toBe(5);
    expect(exitCodeOf({ pid: 1, status: 9, code: null, signal: 9, core: false })).toBe(137);
  });
});

const BOOT = Date.UTC(2026, 0, 1);
const status = (state: SuperviseStatus['state'], pid: number, atMs: number): SuperviseStatus => ({
  stamp: tai64nFromMillis(atMs),
  pid,
  paused: false,
  wantUp: true,
  gotTerm: false,
  state,
});

describe('the main service\'s judge', () => {
  it('sees an end once ./run and ./finish are over: run, finish, down', () => {
    const judge = new MainRunJudge(BOOT);
    expect(judge.ended(status('down', 0, BOOT + 1))).toBe(false);
    expect(judge.ended(status('run', 40, BOOT + 2))).toBe(false);
    expect(judge.ended(status('run', 40, BOOT + 2))).toBe(false);
    expect(judge.ended(status('finish', 0, BOOT + 2))).toBe(false);
    expect(judge.ended(status('down', 0, BOOT + 3))).toBe(true);
  });

  it('sees an end through missed statuses: a new pid, a run after a finish, a second down', () => {
    const newPid = new MainRunJudge(BOOT);
    newPid.ended(status('run', 40, BOOT + 1));
    expect(newPid.ended(status('run', 41, BOOT + 2))).toBe(true);
    const afterFinish = new MainRunJudge(BOOT);
    afterFinish.ended(status('finish', 0, BOOT + 1));
    expect(afterFinish.ended(status('run', 41, BOOT + 2))).toBe(true);
    const downs = new MainRunJudge(BOOT);
    expect(downs.ended(status('down', 0, BOOT + 1))).toBe(false);
    expect(downs.ended(status('down', 0, BOOT + 1))).toBe(false);
    expect(downs.ended(status('down', 0, BOOT + 5))).toBe(true);
  });

  it('ignores what a previous run of the container left in supervise/status', () => {
    const judge = new MainRunJudge(BOOT);
    expect(judge.ended(status('run', 40, BOOT - 1))).toBe(false);
    expect(judge.ended(status('finish', 0, BOOT - 1))).toBe(false);
    expect(judge.ended(status('down', 0, BOOT + 1))).toBe(false);
    expect(judge.ended(status('run', 41, BOOT + 2))).toBe(false);
  });
});

/** The judge, recording every status the watch showed it. */
class RecordingJudge extends MainRunJudge {
  readonly seen: Array<SuperviseStatus['state']> = [];

  override ended(s: SuperviseStatus): boolean {
    this.seen.push(s.state);
    return super.ended(s);
  }
}

describe('the main service\'s watch', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** Writes supervise/status as runsv does: status.new, then renamed over. */
  function writeStatus(dir: string, s: SuperviseStatus): void {
    writeFileSync(join(dir, 'supervise', 'status.new'), encodeStatus(s));
    renameSync(join(dir, 'supervise', 'status.new'), join(dir, 'supervise', 'status'));
  }

  it('follows supervise/ from its creation and calls back once, when ./run and ./finish have ended', async () => {
    const dir = cleanup.tempDir('runit-main-watch-');
    const boot = Date.now();
    let ended = 0;
    const judge = new RecordingJudge(boot);
    const watch = new MainServiceWatch(dir, judge, () => ended++);
    cleanup.add(() => watch.close());
    watch.attach();
    mkdirSync(join(dir, 'supervise'));
    writeStatus(dir, status('down', 0, boot + 1));
    writeStatus(dir, status('run', 4242, boot + 2));
    // as with a real service, the run is seen before it ends
    await waitFor(() => judge.seen.includes('run'), 'the run to be seen');
    writeStatus(dir, status('finish', 0, boot + 2));
    await waitFor(() => judge.seen.includes('finish'), 'the finish to be seen');
    expect(ended).toBe(0);
    writeStatus(dir, status('down', 0, boot + 3));
    await waitFor(() => ended === 1, 'the end to be seen');
    // closed once it has called back: later ends are not its business
    writeStatus(dir, status('run', 4243, boot + 4));
    writeStatus(dir, status('down', 0, boot + 5));
    watch.attach();
    expect(ended).toBe(1);
  });

  it('finds a supervise/ that is a symlink to a directory made later, at a later attach (PID 1\'s tick)', async () => {
    const dir = cleanup.tempDir('runit-main-link-');
    const target = join(dir, 'elsewhere');
    mkdirSync(join(dir, 'service'));
    symlinkSync(target, join(dir, 'service', 'supervise'));
    const boot = Date.now();
    let ended = 0;
    const watch = new MainServiceWatch(join(dir, 'service'), new MainRunJudge(boot), () => ended++);
    cleanup.add(() => watch.close());
    watch.attach();
    mkdirSync(target);
    writeStatus(join(dir, 'service'), status('run', 4242, boot + 1));
    watch.attach();
    writeStatus(join(dir, 'service'), status('down', 0, boot + 2));
    await waitFor(() => ended === 1, 'the end to be seen');
  });
});
