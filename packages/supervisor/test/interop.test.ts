// Interop with the reference binaries: the REAL sv drives our runsv through every command, and
// stat, status bytes, sv's lines and daemontools svstat's lines match what the real runsv gives.
// Uses child_process, so no reaper here.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatus, tai64nNow } from '@runit-ts/protocol';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { ignoresTerm, makeService, readPid, readStat, trapsSignals } from './fixtures.js';
import { OUR_RUNSV } from './commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Impl = 'real' | 'ours';

/** sv's and svstat's lines without what differs from run to run: pids and seconds. */
const normalise = (text: string): string => text.replace(/pid \d+/g, 'pid N').replace(/\b\d+ ?s(econds)?\b/g, 'S');

/** Status bytes with stamp and pid masked (pid shown as set or not), and what decodeStatus makes of them. */
function statusView(dir: string, log = false): string {
  const bytes = readFileSync(join(dir, log ? 'log/supervise/status' : 'supervise/status'));
  const { stamp: _stamp, label: _label, pid, ...rest } = decodeStatus(bytes);
  return `${[...bytes.subarray(16)].map((b) => b.toString(16).padStart(2, '0')).join('')} pid:${pid ? 'set' : '0'} ${JSON.stringify(rest)}`;
}

interface Step {
  args: string[];
  /** Wait until the service has run for a new second first, so that sv's t/k check is not raced. */
  fresh?: boolean;
  /** Target relative to the services root (default ./svc). */
  target?: string;
}

const steps: Step[] = [
  { args: ['status'] },
  { args: ['-v', 'pause'] },
  { args: ['status'] },
  { args: ['-v', 'cont'] },
  ...['hup', 'alarm', 'interrupt', 'quit', '1', '2'].map((cmd) => ({ args: ['-v', cmd] })),
  { args: ['-v', 'down'] },
  { args: ['status'] },
  { args: ['-v', 'up'] },
  { args: ['-v', 'once'] },
  { args: ['status'] },
  { args: ['-v', 'down'] },
  { args: ['-v', 'up'] },
  { args: ['-v', 'term'], fresh: true },
  { args: ['-v', 'kill'], fresh: true },
  { args: ['-v', 'restart'], fresh: true },
  { args: ['-v', 'stop'] },
  { args: ['-v', 'start'] },
  { args: ['-v', 'reload'] },
  { args: ['-v', 'try-restart'], fresh: true },
  { args: ['-v', 'force-reload'], fresh: true },
  { args: ['-v', 'force-restart'], fresh: true },
  { args: ['-v', 'force-stop'] },
  { args: ['status'] },
  { args: ['-v', 'start'] },
  { args: ['-v', 'check'] },
  { args: ['-v', 'down'], target: './svc/log' },
  { args: ['status'] },
  { args: ['-v', 'up'], target: './svc/log' },
  { args: ['-w', '2', 'exit'], target: './svc/log' }, // x is ignored on the log: sv times out
  { args: ['-v', 'shutdown'] },
  { args: ['status'] },
];

/** A service is settled when nothing is on its way: no finish, no pending TERM, want up means running. */
function settled(dir: string, log = false): boolean {
  const s = decodeStatus(readFileSync(join(dir, log ? 'log/supervise/status' : 'supervise/status')));
  return s.state !== 'finish' && !s.gotTerm && (s.want !== 'up' || (s.state === 'run' && s.pid !== 0));
}

/** Starts runsv svc in root (real or ours) in a process group killed at clean-up; resolves with its exit code. */
function startRunsv(impl: Impl, root: string): Promise<number | null> {
  const fd = openSync(join(root, 'runsv.out'), 'a');
  const file = impl === 'real' ? referenceBinary('runsv') : OUR_RUNSV;
  const runsv = spawn(file, ['svc'], { cwd: root, stdio: ['ignore', fd, fd], detached: true, env: { PATH: '/usr/bin:/bin' } });
  closeSync(fd);
  cleanup.killLater(runsv.pid!, true);
  return new Promise((resolve) => runsv.on('exit', (code) => resolve(code)));
}

/** Runs the real sv and returns its normalised output as one line. */
function sv(root: string, args: string[], target = './svc'): string {
  const result = spawnSync(referenceBinary('sv'), [...args, target], { cwd: root, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 60_000 });
  return `sv ${args.join(' ')} ${target} -> ${result.status}: ${normalise(result.stdout + result.stderr).trim()}`;
}

/** stat, status bytes and what svstat says, for the service and its log. */
function snapshot(root: string, dir: string): string[] {
  const stat = spawnSync(referenceBinary('svstat'), ['svc', 'svc/log'], { cwd: root, encoding: 'utf8' });
  return [
    `  stat=${readStat(dir)} log=${readStat(dir, true)}`,
    `  status ${statusView(dir)} log ${statusView(dir, true)}`,
    `  svstat ${normalise(stat.stdout + stat.stderr).trim().replace(/\n/g, ' | ')}`,
  ];
}

async function playSequence(impl: Impl): Promise<string[]> {
  const root = cleanup.tempDir();
  const dir = makeService(root, 'svc', { run: trapsSignals('signals'), finish: 'exit 0', log: 'exec cat >/dev/null' });
  let runsvGone = false;
  const exited = startRunsv(impl, root).then((code) => ((runsvGone = true), code));
  await waitFor(() => existsSync(join(dir, 'signals.ready')) && readStat(dir, true) === 'run', 'service and log run');
  const record: string[] = [];
  for (const step of steps) {
    if (step.fresh) {
      const started = decodeStatus(readFileSync(join(dir, 'supervise/status'))).stamp.seconds;
      await waitFor(() => tai64nNow().seconds > started, 'a new second since the start');
    }
    // -v commands may wait up to 20 s; runsv answers in milliseconds
    record.push(sv(root, step.args.includes('-w') ? step.args : ['-w', '20', ...step.args], step.target));
    if (!runsvGone) await waitFor(() => runsvGone || (settled(dir) && settled(dir, true)), `settled after sv ${step.args.join(' ')}`, 20_000);
    record.push(...snapshot(root, dir));
  }
  expect(await exited).toBe(0);
  return record;
}

/** A service that ignores TERM and a ./finish that waits: got TERM, k, and the finish state. */
async function playTransients(impl: Impl): Promise<string[]> {
  const root = cleanup.tempDir();
  const dir = makeService(root, 'svc', {
    run: ignoresTerm('ready'),
    finish: 'while [ ! -e gate ]; do sleep 0.02; done',
    log: 'exec cat >/dev/null',
  });
  const exited = startRunsv(impl, root);
  await waitFor(() => existsSync(join(dir, 'ready')) && readStat(dir, true) === 'run', 'service and log run');
  const record = [sv(root, ['-w', '1', 'down'])];
  record.push(...snapshot(root, dir));
  record.push(sv(root, ['kill']));
  // runsv writes "finish" with pid 0 first, then again once ./finish has started; supervise/status,
  // which sv reads, is written after pid and stat, so it is the one waited on
  const status = (): ReturnType<typeof decodeStatus> => decodeStatus(readFileSync(join(dir, 'supervise/status')));
  await waitFor(() => readStat(dir) === 'finish, want down' && readPid(dir) > 0 && status().state === 'finish' && status().pid > 0, 'finish runs');
  record.push(sv(root, ['status']), ...snapshot(root, dir));
  writeFileSync(join(dir, 'gate'), '');
  await waitFor(() => readStat(dir) === 'down' && status().state === 'down', 'down');
  record.push(sv(root, ['status']), ...snapshot(root, dir));
  record.push(sv(root, ['-w', '20', 'exit']));
  expect(await exited).toBe(0);
  return record;
}

describe('interop: the real sv and svstat against our runsv', () => {
  it('the real runsv and ours give the same stat, status bytes, sv and svstat lines for every command', { timeout: 300_000 }, async () => {
    const real = await playSequence('real');
    // the reference run itself shows what is being compared (guards against comparing nothing)
    expect(real).toContain('sv -w 20 -v pause ./svc -> 0: ok: run: ./svc: (pid N) S, paused');
    expect(real).toContain('sv -w 2 exit ./svc/log -> 1: timeout: run: ./svc/log: (pid N) S');
    expect(real.filter((line) => line.startsWith('  svstat svc: up (pid N) S'))).not.toHaveLength(0);
    const ours = await playSequence('ours');
    expect(ours).toEqual(real);
  });

  it('got TERM, k during a TERM-ignoring run, and the finish state read the same', { timeout: 120_000 }, async () => {
    const real = await playTransients('real');
    expect(real).toContain('sv -w 1 down ./svc -> 1: timeout: run: ./svc: (pid N) S, want down, got TERM');
    expect(real).toContain('sv status ./svc -> 0: finish: ./svc: (pid N) S, want down; run: log: (pid N) S');
    expect(await playTransients('ours')).toEqual(real);
  });
});
