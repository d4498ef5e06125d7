// Readiness end to end with real processes: our runsv, a ./run that says it is ready through its
// notification-fd (s6) or the notify-socket bridge (sd_notify: systemd-notify, python3), our sv's
// waits and check, and the real sv and svstat reading the same service. Uses child_process: no reaper.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatus } from '@runit-ts/protocol';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { makeService, readStat } from './fixtures.js';
import { OUR_SV, openGate, run, startRunsv, svInBackground } from './our-tools.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const pidOf = (dir: string): number => decodeStatus(readFileSync(join(dir, 'supervise', 'status'))).pid;
/**
 * The pid of ./run when supervise/status shows it running, else 0 (stat is written before status:
 * it can say run first). One read: a restart passes through "down, pid 0" between two reads.
 */
const runningPid = (dir: string): number => {
  const status = decodeStatus(readFileSync(join(dir, 'supervise', 'status')));
  return status.state === 'run' ? status.pid : 0;
};
const running = (dir: string): boolean => runningPid(dir) !== 0;
const seconds = (text: string): string => text.replace(/([:)]) \d+s\b/g, '$1 Ns');

/** A normally down service whose ./run says it is ready (the `ready` command) once its gate opens. */
function gatedService(name: string, files: Record<string, string>, ready: string): string {
  const root = cleanup.tempDir('runit-ts-ready-');
  const dir = makeService(root, name, { run: `read _ < gate\n${ready}\nexec sleep 1000`, down: true });
  execFileSync('mkfifo', [join(dir, 'gate')]);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const PYTHON_NOTIFY =
  'python3 -c \'import os, socket; a = os.environ["NOTIFY_SOCKET"]; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); ' +
  's.sendto(b"STATUS=starting\\nREADY=1", "\\0" + a[1:] if a.startswith("@") else a)\'';

describe('readiness', () => {
  it('sv -w start returns at the notification-fd newline, not at the spawn; sv check and status see not ready; real sv and svstat read it', async () => {
    const dir = gatedService('db', { 'notification-fd': '3\n' }, 'echo ready >&3');
    startRunsv(cleanup, dir);
    await waitFor(() => readStat(dir) === 'down', 'runsv to start', 15_000);

    const start = svInBackground(cleanup, ['-w', '30', 'start', dir]);
    await waitFor(() => running(dir), './run to start', 15_000);
    const pid = pidOf(dir);
    expect(run(OUR_SV, ['status', dir]).stdout).toMatch(new RegExp(`^run: ${dir}: \\(pid ${pid}\\) \\d+s, normally down, not ready\n$`));
    const check = run(OUR_SV, ['-w', '0', 'check', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^timeout: run: .*, not ready\n$/);
    // the real tools read the 20-byte status as ever: runit's line, without our notes
    const real = run(referenceBinary('sv'), ['status', dir]);
    expect(real.stdout).toMatch(new RegExp(`^run: ${dir}: \\(pid ${pid}\\) \\d+s, normally down\n$`));
    expect(run(referenceBinary('svstat'), [dir]).stdout).toMatch(new RegExp(`^${dir}: up \\(pid ${pid}\\) \\d+ seconds, normally down\n$`));
    expect(start.exited()).toBe(false);

    const readyAt = await openGate(dir);
    const started = await start.done;
    expect(started.code).toBe(0);
    expect(started.at).toBeGreaterThanOrEqual(readyAt);
    expect(started.stdout).toMatch(new RegExp(`^ok: run: ${dir}: \\(pid ${pid}\\) \\d+s, normally down, ready\n$`));
    expect(run(OUR_SV, ['-w', '0', 'check', dir]).code).toBe(0);
    const json = JSON.parse(run(OUR_SV, ['status', '--json', dir]).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ state: 'run', pid, ready: true, readiness: ['notification-fd'], restarts: 0, failed: null, needs: [] });
    expect(json.readySince).toBeGreaterThanOrEqual(Math.floor(readyAt / 1000) - 1);
    expect(seconds(run(referenceBinary('sv'), ['status', dir]).stdout)).toBe(`run: ${dir}: (pid ${pid}) Ns, normally down\n`);

    // restarted, it is not ready until it says so again; sv compares its start second with the
    // status stamp, so it starts in a later second than ./run did (runit's race, docs/runit-behaviour.md §4.5)
    const stamp = decodeStatus(readFileSync(join(dir, 'supervise', 'status'))).stamp.seconds;
    await waitFor(() => Math.floor(Date.now() / 1000) > stamp, 'a second after the status stamp', 5_000);
    const restart = svInBackground(cleanup, ['-w', '30', 'restart', dir]);
    await waitFor(() => ![0, pid].includes(runningPid(dir)), './run to start again', 15_000);
    expect(run(OUR_SV, ['status', dir]).stdout).toMatch(/, not ready\n$/);
    expect(restart.exited()).toBe(false);
    const againAt = await openGate(dir);
    const restarted = await restart.done;
    expect(restarted.code).toBe(0);
    expect(restarted.at).toBeGreaterThanOrEqual(againAt);
    expect(JSON.parse(run(OUR_SV, ['status', '--json', dir]).stdout)).toMatchObject({ ready: true, restarts: 1, lastExit: { signal: 'SIGTERM' } });
  }, 60_000);

  it.each([
    ['systemd-notify --ready', 'systemd-notify --ready'],
    ['a python3 sd_notify', PYTHON_NOTIFY],
  ])('the notify-socket bridge: %s makes the service ready', async (_, notify) => {
    const dir = gatedService('daemon', { 'notify-socket': '' }, notify);
    startRunsv(cleanup, dir);
    await waitFor(() => readStat(dir) === 'down', 'runsv to start', 15_000);
    const start = svInBackground(cleanup, ['-w', '30', 'start', dir]);
    await waitFor(() => running(dir), './run to start', 15_000);
    expect(run(OUR_SV, ['status', dir]).stdout).toMatch(/, not ready\n$/);
    expect(start.exited()).toBe(false);
    const readyAt = await openGate(dir);
    const started = await start.done;
    expect(started.code).toBe(0);
    expect(started.at).toBeGreaterThanOrEqual(readyAt);
    expect(started.stdout).toMatch(/^ok: run: .*, ready\n$/);
    expect(JSON.parse(run(OUR_SV, ['status', '--json', dir]).stdout)).toMatchObject({ ready: true, readiness: ['notify-socket'] });
  }, 60_000);

  it('a service without the files: sv -w start returns at the spawn, and our sv status prints what the real one prints', async () => {
    const root = cleanup.tempDir('runit-ts-ready-');
    const dir = makeService(root, 'plain', { run: 'exec sleep 1000', down: true });
    startRunsv(cleanup, dir);
    await waitFor(() => readStat(dir) === 'down', 'runsv to start', 15_000);
    const started = await svInBackground(cleanup, ['-w', '30', 'start', dir]).done;
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^ok: run: .*\(pid \d+\) \d+s, normally down\n$/);
    expect(seconds(run(OUR_SV, ['status', dir]).stdout)).toBe(seconds(run(referenceBinary('sv'), ['status', dir]).stdout));
    expect(readFileSync(join(dir, 'supervise', 'status')).length).toBe(20);
    expect(() => readFileSync(join(dir, 'supervise', 'extra.json'))).toThrow(/ENOENT/);
  }, 60_000);
});
