// What someone who can write into supervise/ (its owner, when that is not the supervisor's user) can
// plant there: links for the .new files, control and ok. Ours refuses to follow any of them; runit's
// runsv follows them all, so these tests are ours only. Runs runsv with child_process: no reaper here.
import { spawn } from 'node:child_process';
import { chownSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mkfifo } from '@runit-ts/native';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { oursOnPath } from './commands.js';
import { makeService, readStat } from './fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const NOBODY = 65534;
const PRECIOUS = 'precious, owned by root\n';

interface Running {
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts our `runsv svc` in root, in a process group of its own that clean-up kills. */
function startRunsv(root: string): Running {
  const outPath = join(root, 'runsv.out');
  const fd = openSync(outPath, 'a');
  const env = { PATH: `${oursOnPath(cleanup)}:/usr/bin:/bin` };
  const child = spawn('runsv', ['svc'], { cwd: root, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  cleanup.killLater(child.pid!, true);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { pid: child.pid!, output: () => readFileSync(outPath, 'utf8'), exited };
}

/** A root-owned file outside the service that a planted link points at. */
function victim(root: string, name: string): string {
  const path = join(root, name);
  writeFileSync(path, PRECIOUS, { mode: 0o644 });
  return path;
}

describe('runsv never follows a link planted in supervise/', () => {
  it('status.new, pid.new and stat.new linked to a root file: the file is left alone, the status is written', async () => {
    requireRoot('chown of supervise/');
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    const victims: string[] = [];
    for (const supervise of ['supervise', 'log/supervise']) {
      mkdirSync(join(dir, supervise), { mode: 0o700 });
      // supervise/ of another user: that user can plant anything in it
      chownSync(join(dir, supervise), NOBODY, NOBODY);
      for (const file of ['status', 'pid', 'stat']) {
        const target = victim(root, `${supervise.replace('/', '-')}-${file}`);
        victims.push(target);
        symlinkSync(target, join(dir, supervise, `${file}.new`));
      }
    }
    const runsv = startRunsv(root);
    await waitFor(() => readStat(dir) === 'run' && readStat(dir, true) === 'run', 'service and log run');
    for (const target of victims) expect(readFileSync(target, 'utf8'), target).toBe(PRECIOUS);
    for (const file of ['supervise/status', 'supervise/pid', 'supervise/stat', 'log/supervise/status']) {
      expect(lstatSync(join(dir, file)).isFile(), file).toBe(true);
    }
    expect(runsv.output()).toBe(
      "runsv svc: warning: supervise/ is owned by uid 65534, not by this supervisor's uid 0: its owner can tamper with the service's control\n" +
        "runsv svc: warning: log/supervise/ is owned by uid 65534, not by this supervisor's uid 0: its owner can tamper with the service's control\n",
    );
  });

  it('a .new that cannot be removed (a directory): runit\'s warning after a bounded number of tries', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    mkdirSync(join(dir, 'supervise/status.new'), { recursive: true, mode: 0o700 });
    const runsv = startRunsv(root);
    await waitFor(() => runsv.output().includes('\n'), 'a warning');
    expect(runsv.output().split('\n')[0]).toBe('runsv svc: warning: unable to open supervise/status.new: file already exists');
    await waitFor(() => readStat(dir) === 'run', 'stat written all the same');
  });

  it.each([
    ['supervise/control', 'runsv svc: fatal: supervise/control is a symbolic link, not a fifo in supervise/\n'],
    ['supervise/ok', 'runsv svc: fatal: supervise/ok is a symbolic link, not a fifo in supervise/\n'],
    ['log/supervise/control', 'runsv svc: fatal: log/supervise/control is a symbolic link, not a fifo in log/supervise/\n'],
  ])('%s linked to a FIFO anyone can write: fatal, exit 111', async (entry, fatal) => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { log: 'exec cat >/dev/null' });
    mkdirSync(join(dir, 'supervise'), { mode: 0o700 });
    mkdirSync(join(dir, 'log/supervise'), { mode: 0o700 });
    const open = join(root, 'world-writable-fifo');
    mkfifo(open, 0o666);
    symlinkSync(open, join(dir, entry));
    const runsv = startRunsv(root);
    expect(await runsv.exited).toBe(111);
    expect(runsv.output()).toBe(fatal);
  });

  it('an ok that is a plain file: fatal (runit does not look)', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    mkdirSync(join(dir, 'supervise'), { mode: 0o700 });
    writeFileSync(join(dir, 'supervise/ok'), '');
    const runsv = startRunsv(root);
    expect(await runsv.exited).toBe(111);
    expect(runsv.output()).toBe('runsv svc: fatal: supervise/ok exists but is not a fifo\n');
  });

  it('supervise/ itself may be a link to a directory elsewhere (as in /run/runit/supervise.NAME)', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', {});
    const elsewhere = join(root, 'run-runit');
    mkdirSync(elsewhere);
    symlinkSync(join(elsewhere, 'supervise.svc'), join(dir, 'supervise'));
    const runsv = startRunsv(root);
    await waitFor(() => readStat(dir) === 'run', 'service runs');
    expect(lstatSync(join(elsewhere, 'supervise.svc/control')).isFIFO()).toBe(true);
    expect(lstatSync(join(elsewhere, 'supervise.svc/status')).isFile()).toBe(true);
    process.kill(runsv.pid, 'SIGTERM');
    expect(await runsv.exited).toBe(0);
    expect(runsv.output()).toBe('');
  });
});
