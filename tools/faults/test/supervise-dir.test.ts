// supervise/ under attack: a second runsv on a dir that is supervised already (ours and runit's, both
// ways round), a corrupt status file left from before, and supervise/ a link to a dir elsewhere (as
// read-only roots set it up). The lock must hold, one instance must run, and sv must tell the truth.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { command, type Side } from '../src/commands.js';
import { cmdlineOf, instancesIn, isAlive, killAll, processesUnder } from '../src/procfs.js';
import { SectionRecorder } from '../src/results.js';
import { runningPid, runSv } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'supervise',
  7,
  'A second supervisor, a damaged supervise/',
  'One service dir, supervised by a `runsv` run by hand (ours or runit\'s). A second `runsv` started on the same dir, ' +
    'by each side against each; a `supervise/status` of 20 random bytes left from before the start; `supervise` a ' +
    'symlink to a directory elsewhere. Each cell: how the second runsv ended and what it said, the `./run` instances, ' +
    'and what `sv status` shows.',
);
afterAll(() => section.save());

interface Runsv {
  pid: number;
  stderr(): string;
  exit: Promise<number | null>;
}

/** `runsv NAME` in the service's parent dir, in a session of its own, ended at clean-up with the dir's processes. */
function startRunsv(side: Side, parent: string, name: string): Runsv {
  const [file, ...args] = command(side, 'runsv');
  const child = spawn(file!, [...args, name], { cwd: parent, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const pid = child.pid!;
  cleanup.add(async () => {
    child.stderr!.destroy();
    const pids = [pid, ...processesUnder([parent])];
    killAll(pids);
    await waitFor(() => pids.every((p) => !isAlive(p)), 'the supervisor and its service gone');
  });
  return { pid, stderr: () => stderr, exit };
}

function service(): { parent: string; dir: string } {
  const parent = cleanup.tempDir('faults-supervise-');
  const dir = join(parent, 'svc');
  mkdirSync(dir);
  writeFileSync(join(dir, 'run'), '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 });
  return { parent, dir };
}

/**
 * Waits until the supervised process has exec'd the run script's `sleep`: runsv records the pid at
 * the fork, and until the exec the process is not yet an instance `instancesIn` can count.
 */
async function execd(pid: number): Promise<void> {
  await waitFor(() => cmdlineOf(pid).split('\0').includes('sleep') || !isAlive(pid), `pid ${pid} running sleep`, 30_000);
}

const statusLine = (dir: string): string =>
  runSv(['status', dir]).stdout.replace(dir, 'DIR').replace(/\d+s/g, 'Ns').replace(/\(pid \d+\)/, '(pid P)').trim();

async function secondSupervisor(first: Side, second: Side): Promise<{ code: number | null; said: string; instances: number; firstAlive: boolean; text: string }> {
  const { parent, dir } = service();
  const one = startRunsv(first, parent, 'svc');
  await execd(await waitFor(() => runningPid(dir), 'the first supervisor running the service', 30_000));
  const two = startRunsv(second, parent, 'svc');
  const code = await two.exit;
  const said = two.stderr().trim();
  const instances = instancesIn(dir, 'sleep').length;
  const firstAlive = isAlive(one.pid);
  const text = `exit ${code}, \`${said}\`; ${instances} instance; \`${statusLine(dir)}\``;
  return { code, said, instances, firstAlive, text };
}

async function damaged(side: Side, damage: (dir: string, parent: string) => void): Promise<{ running: boolean; instances: number; text: string }> {
  const { parent, dir } = service();
  damage(dir, parent);
  const runsv = startRunsv(side, parent, 'svc');
  const pid = await waitFor(() => runningPid(dir) ?? (runsv.stderr() !== '' && !isAlive(runsv.pid) ? -1 : undefined), 'the service running, or the supervisor gone', 30_000);
  if (pid > 0) await execd(pid);
  const instances = instancesIn(dir, 'sleep').length;
  const said = runsv.stderr().trim();
  const text = `${pid > 0 ? 'supervised' : 'NOT supervised'}; ${instances} instance; \`${statusLine(dir)}\`${said ? `; said \`${said}\`` : ''}`;
  return { running: pid > 0, instances, text };
}

describe('supervise/', () => {
  for (const first of ['ours', 'runit'] as const) {
    it(`a second runsv on a dir ${first === 'ours' ? 'our' : 'runit\'s'} runsv supervises`, async () => {
      const ours = await secondSupervisor(first, 'ours');
      await cleanup.run();
      const runit = await secondSupervisor(first, 'runit');
      section.add({ case: `a second runsv on a dir ${first === 'ours' ? 'our runsv' : 'runit\'s runsv'} supervises`, ours: ours.text, runit: runit.text });
      // the lock holds: the second gives up with runit's words and exit code, the first goes on alone
      expect([ours.code, ours.said]).toEqual([111, 'runsv svc: fatal: unable to lock supervise/lock: temporary failure']);
      expect([ours.code, ours.said]).toEqual([runit.code, runit.said]);
      expect(ours.instances).toBe(1);
      expect(ours.firstAlive).toBe(true);
    });
  }

  it('a corrupt supervise/status left from before the start', async () => {
    const corrupt = (dir: string): void => {
      mkdirSync(join(dir, 'supervise'), { mode: 0o700 });
      writeFileSync(join(dir, 'supervise', 'status'), randomBytes(20));
    };
    const ours = await damaged('ours', corrupt);
    await cleanup.run();
    const runit = await damaged('runit', corrupt);
    section.add({ case: 'a corrupt supervise/status (20 random bytes) left from before the start', ours: ours.text, runit: runit.text });
    expect([ours.running, ours.instances]).toEqual([true, 1]);
  });

  it('supervise a symlink to a directory elsewhere', async () => {
    let target = '';
    const linked = (dir: string, parent: string): void => {
      target = join(parent, 'elsewhere');
      mkdirSync(target, { mode: 0o700 });
      symlinkSync(target, join(dir, 'supervise'));
    };
    const ours = await damaged('ours', linked);
    const oursWroteThere = existsSync(join(target, 'status')) && readFileSync(join(target, 'stat'), 'utf8') === 'run\n';
    await cleanup.run();
    const runit = await damaged('runit', linked);
    section.add({ case: 'supervise a symlink to a directory elsewhere (a read-only root\'s set-up)', ours: `${ours.text}; files in the link's target: ${oursWroteThere}`, runit: runit.text });
    expect([ours.running, ours.instances, oursWroteThere]).toEqual([true, 1, true]);
  });
});
