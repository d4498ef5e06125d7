// The scanner's table on real directories: identity by (dev, inode), skipping rules, warnings,
// removals, restarts and runit's limit of 1000 services; the hosting is a recording stand-in.
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticLine } from '@runit-ts/supervisor';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { LaunchError } from '../src/service-launcher.js';
import { DirScanner, MAX_SERVICES } from '../src/scanner.js';
import { RecordingLauncher } from './support/recording-launcher.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function setUp(options: { watch?: boolean; maxServices?: number; tableChanged?: () => void } = {}) {
  const svdir = cleanup.tempDir('scanner-');
  const launcher = new RecordingLauncher();
  const lines: string[] = [];
  const scanner = new DirScanner({
    svdir,
    launcher,
    report: (d) => lines.push(`${diagnosticLine(d)}\n`),
    minRestartMs: 50,
    idleCheckMs: 60_000,
    busyCheckMs: 60_000,
    ...options,
  });
  cleanup.add(() => scanner.stop());
  const service = (name: string, where = svdir) => {
    mkdirSync(join(where, name), { recursive: true });
    return join(where, name);
  };
  return { svdir, launcher, lines, scanner, service };
}

describe('DirScanner', () => {
  it('starts one service per directory entry, skipping dot names and non-directories', async () => {
    const { svdir, launcher, scanner, service, lines } = setUp();
    service('a');
    service('b');
    service('.hidden');
    writeFileSync(join(svdir, 'file'), '');
    scanner.start();
    expect(launcher.names().sort()).toEqual(['a', 'b']);
    expect(launcher.launched[0]!.svdir).toBe(svdir);
    expect(lines).toEqual([]);
  });

  it('warns about dangling links and symlink loops with runit text and starts the rest', () => {
    const { svdir, launcher, scanner, service, lines } = setUp();
    service('good');
    symlinkSync('nowhere', join(svdir, 'dangling'));
    symlinkSync('loop', join(svdir, 'loop'));
    scanner.start();
    expect(launcher.names()).toEqual(['good']);
    expect(lines.sort()).toEqual([
      `runsvdir ${svdir}: warning: unable to stat dangling: file does not exist\n`,
      `runsvdir ${svdir}: warning: unable to stat loop: symbolic link loop\n`,
    ]);
  });

  it('starts a directory reached by two symlinks once', () => {
    const { svdir, launcher, scanner } = setUp();
    const elsewhere = cleanup.tempDir('scanner-target-');
    mkdirSync(join(elsewhere, 'one'));
    symlinkSync(join(elsewhere, 'one'), join(svdir, 'x'));
    symlinkSync(join(elsewhere, 'one'), join(svdir, 'y'));
    scanner.start();
    expect(launcher.launched).toHaveLength(1);
    expect(scanner.services).toHaveLength(1);
  });

  it('calls tableChanged after scans that add or remove services, not after scans that change nothing', async () => {
    let changes = 0;
    const { svdir, scanner, service } = setUp({ tableChanged: () => changes++ });
    service('a');
    scanner.start();
    expect(changes).toBe(1);
    const scans = scanner.scans;
    writeFileSync(join(svdir, 'not-a-service'), '');
    await waitFor(() => scanner.scans > scans, 'the scan the new file caused', 5000);
    expect(changes).toBe(1);
    rmSync(join(svdir, 'a'), { recursive: true });
    await waitFor(() => changes === 2, 'the removal reported', 5000);
    expect(scanner.services).toEqual([]);
  });

  it('notices a new entry through inotify and keeps a renamed one running', async () => {
    const { svdir, launcher, scanner, service } = setUp();
    service('a');
    scanner.start();
    const staging = cleanup.tempDir('scanner-staging-');
    service('b', staging);
    renameSync(join(staging, 'b'), join(svdir, 'b'));
    await waitFor(() => launcher.names().includes('b'), 'b started', 5000);
    renameSync(join(svdir, 'a'), join(svdir, 'a2'));
    await waitFor(() => scanner.services.some((s) => s.name === 'a2'), 'a2 seen', 5000);
    expect(launcher.launched.map((l) => [l.name, l.terminated])).toEqual([
      ['a', false],
      ['b', false],
    ]);
  });

  it('stops a service whose entry went away and forgets it', async () => {
    const { svdir, launcher, scanner, service } = setUp();
    service('a');
    service('b');
    scanner.start();
    rmSync(join(svdir, 'a'), { recursive: true });
    await waitFor(() => launcher.launched.find((l) => l.name === 'a')?.terminated, 'a terminated', 5000);
    await waitFor(() => scanner.services.length === 1 && scanner.stoppingCount === 0, 'a forgotten', 5000);
    expect(scanner.services.map((s) => s.name)).toEqual(['b']);
  });

  it('starts a service again when its host ends, under its current name', async () => {
    const { svdir, launcher, scanner, service } = setUp();
    service('a');
    scanner.start();
    renameSync(join(svdir, 'a'), join(svdir, 'renamed'));
    await waitFor(() => scanner.services[0]?.name === 'renamed', 'rename seen', 5000);
    launcher.launched[0]!.end();
    await waitFor(() => launcher.launched.length === 2, 'restart', 5000);
    expect(launcher.launched[1]!.name).toBe('renamed');
  });

  it('reports a launch failure with its runit line and tries again later', async () => {
    const { launcher, scanner, service, lines } = setUp();
    service('a');
    launcher.failWith = new LaunchError({ level: 'fatal', program: 'runsvdir', subject: 'x', text: 'unable to start runsv a', error: 'ENOENT' });
    scanner.start();
    expect(lines).toEqual(['runsvdir x: fatal: unable to start runsv a: file does not exist\n']);
    launcher.failWith = undefined;
    await waitFor(() => launcher.launched.length === 1, 'second attempt', 5000);
  });

  it(`keeps to runit's limit of ${MAX_SERVICES} services and warns about each one beyond`, () => {
    const { svdir, launcher, scanner, service, lines } = setUp({ watch: false });
    for (let i = 0; i <= MAX_SERVICES; i++) service(`s${i}`);
    scanner.start();
    expect(launcher.launched).toHaveLength(MAX_SERVICES);
    expect(lines).toHaveLength(1);
    const started = new Set(launcher.names());
    const left = [...Array(MAX_SERVICES + 1).keys()].map((i) => `s${i}`).filter((n) => !started.has(n));
    expect(lines[0]).toBe(`runsvdir ${svdir}: warning: unable to start runsv ${left[0]}: too many services.\n`);
  });

  it('warns when the directory is missing, keeps its services, and rescans when it is back', async () => {
    const { svdir, launcher, scanner, service, lines } = setUp();
    service('a');
    scanner.start();
    const away = `${svdir}.away`;
    renameSync(svdir, away);
    cleanup.add(() => rmSync(away, { recursive: true, force: true }));
    const warning = `runsvdir ${svdir}: warning: unable to stat ${svdir}: file does not exist\n`;
    await waitFor(() => lines.includes(warning), 'the warning about the missing directory', 5000);
    renameSync(away, svdir);
    service('b');
    await waitFor(() => launcher.names().includes('b'), 'b started after the directory came back', 10_000);
    expect(launcher.launched.find((l) => l.name === 'a')!.terminated).toBe(false);
  });

  it('hears of a runlevel switch through the symlinks leading to the directory (inotify, no periodic look)', async () => {
    const { launcher, lines } = setUp();
    const base = cleanup.tempDir('scanner-farm-');
    for (const [level, name] of [['levelA', 'onlyA'], ['levelB', 'onlyB']]) mkdirSync(join(base, level, name), { recursive: true });
    mkdirSync(join(base, 'levelA', 'shared'));
    symlinkSync(join(base, 'levelA', 'shared'), join(base, 'levelB', 'shared'));
    symlinkSync('levelA', join(base, 'current'));
    const service = join(base, 'service');
    symlinkSync(join(base, 'current'), service);
    const scanner = new DirScanner({ svdir: service, launcher, report: (d) => lines.push(`${diagnosticLine(d)}\n`), idleCheckMs: 600_000, busyCheckMs: 600_000 });
    cleanup.add(() => scanner.stop());
    scanner.start();
    expect(launcher.names().sort()).toEqual(['onlyA', 'shared']);
    symlinkSync('levelB', join(base, 'current.new'));
    renameSync(join(base, 'current.new'), join(base, 'current'));
    await waitFor(() => launcher.names().includes('onlyB'), 'onlyB started', 5000);
    await waitFor(() => launcher.launched.find((l) => l.name === 'onlyA')?.terminated, 'onlyA stopped', 5000);
    expect(launcher.launched.filter((l) => l.name === 'shared')).toHaveLength(1);
    expect(launcher.launched.find((l) => l.name === 'shared')!.terminated).toBe(false);
    expect(lines).toEqual([]);
  });

  it('finds changes by runit’s periodic look alone when inotify is off', async () => {
    const { svdir, launcher, service } = setUp({ watch: false });
    const scanner = new DirScanner({ svdir, launcher, report: () => undefined, watch: false, idleCheckMs: 100, busyCheckMs: 50 });
    cleanup.add(() => scanner.stop());
    scanner.start();
    service('late');
    await waitFor(() => launcher.names().includes('late'), 'late started by a periodic look', 5000);
  });

  it('stops everything on terminateAll and resolves once all hosts ended', async () => {
    const { launcher, scanner, service } = setUp();
    service('a');
    service('b');
    scanner.start();
    await scanner.terminateAll();
    expect(launcher.launched.every((l) => l.terminated)).toBe(true);
    expect(scanner.services).toEqual([]);
  });
});
