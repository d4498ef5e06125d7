// More of docs/readiness-and-restarts.md with real processes (our runsv, our sv): needs naming a
// missing service or making a cycle, a needs timeout as a failed start, control bytes during a
// backoff, the healthy-run reset, and an LSB start that times out waiting for ready. Uses
// child_process: no reaper.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { OUR_RUNSV } from './commands.js';
import { lines, makeService, readStat } from './fixtures.js';
import { OUR_SV, openGate, run, startRunsv, statusJson as json } from './our-tools.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Readiness on fd 3 for dir, and the gate (a FIFO) its ./run reads a line from before it says so. */
const gatedReady = (dir: string): void => {
  writeFileSync(join(dir, 'notification-fd'), '3\n');
  execFileSync('mkfifo', [join(dir, 'gate')]);
};
const failureReason = (dir: string): unknown => (json(dir).failed as { reason?: string } | null)?.reason;

describe('needs: what cannot be waited for', () => {
  it('a name that does not exist is warned about and not waited for; once it exists, the next start waits for it', async () => {
    const root = cleanup.tempDir('runit-ts-needs-');
    const warnings = join(root, 'warnings');
    const starts = join(root, 'starts');
    const app = makeService(root, 'app', { run: `echo app >> ${starts}\nexec sleep 1000` });
    writeFileSync(join(app, 'needs'), 'cache\n');
    startRunsv(cleanup, app, OUR_RUNSV, warnings);

    // the warning is written before the start it lets go on
    await waitFor(() => lines(starts).length === 1 && readStat(app) === 'run', 'app to start without cache', 15_000);
    expect(lines(warnings)).toEqual([`runsv ${app}: warning: ./needs: cache: file does not exist`]);
    expect(json(app)).toMatchObject({ state: 'run', needs: [] });

    const cache = makeService(root, 'cache', { run: 'read _ < gate\necho >&3\nexec sleep 1000' });
    gatedReady(cache);
    startRunsv(cleanup, cache);
    await waitFor(() => json(cache).state === 'run', 'cache to run', 15_000);
    expect(run(OUR_SV, ['term', app]).code).toBe(0);
    await waitFor(() => json(app).needs?.toString() === 'cache', 'app\'s next start to wait for cache', 15_000);
    expect(json(app).state).toBe('down');
    expect(lines(starts)).toEqual(['app']);

    await openGate(cache);
    await waitFor(() => lines(starts).length === 2 && readStat(app) === 'run', 'app to start once cache is ready', 15_000);
    expect(json(app)).toMatchObject({ state: 'run', needs: [] });
    expect(lines(warnings)).toHaveLength(1);
  }, 60_000);

  it('a cycle is warned about and not waited for: both start, and sv status, down and up answer', async () => {
    const root = cleanup.tempDir('runit-ts-needs-');
    const warnings = join(root, 'warnings');
    const starts = join(root, 'starts');
    const a = makeService(root, 'a', { run: `echo a >> ${starts}\nexec sleep 1000` });
    writeFileSync(join(a, 'needs'), 'b\n');
    const b = makeService(root, 'b', { run: `echo b >> ${starts}\nexec sleep 1000` });
    writeFileSync(join(b, 'needs'), 'a\n');
    startRunsv(cleanup, a, OUR_RUNSV, warnings);
    startRunsv(cleanup, b, OUR_RUNSV, warnings);

    await waitFor(() => lines(starts).length === 2 && readStat(a) === 'run' && readStat(b) === 'run', 'a and b to start', 15_000);
    expect(lines(starts).sort()).toEqual(['a', 'b']);
    expect(lines(warnings).sort()).toEqual([
      `runsv ${a}: warning: ./needs: a -> b -> a is a cycle; not waited for`,
      `runsv ${b}: warning: ./needs: b -> a -> b is a cycle; not waited for`,
    ]);

    const status = run(OUR_SV, ['status', a, b]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^run: ${a}: \\(pid \\d+\\) \\d+s\\nrun: ${b}: \\(pid \\d+\\) \\d+s\\n$`));
    const down = run(OUR_SV, ['-w', '15', 'down', a, b]);
    expect(down.code).toBe(0);
    // a line each, in the order they got there
    expect(down.stdout.endsWith('\n') && down.stdout.slice(0, -1).split('\n').sort()).toEqual([
      expect.stringMatching(new RegExp(`^ok: down: ${a}: \\d+s, normally up$`)),
      expect.stringMatching(new RegExp(`^ok: down: ${b}: \\d+s, normally up$`)),
    ]);
    expect([readStat(a), readStat(b)]).toEqual(['down', 'down']);
    const up = run(OUR_SV, ['-w', '15', 'up', a]);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^ok: run: ${a}: \\(pid \\d+\\) \\d+s\\n$`));
    // ./run's line may come after sv saw it run
    await waitFor(() => lines(starts).length === 3, 'a\'s ./run to start again', 15_000);
    expect(lines(starts).sort()).toEqual(['a', 'a', 'b']);
  }, 60_000);
});

describe('restart policy with needs and control bytes', () => {
  it('a dependency not ready within needs-timeout is a failed start: the death tally counts it', async () => {
    const root = cleanup.tempDir('runit-ts-policy-');
    const warnings = join(root, 'warnings');
    const starts = join(root, 'starts');
    const db = makeService(root, 'db', { run: 'read _ < gate\necho >&3\nexec sleep 1000' });
    gatedReady(db);
    const app = makeService(root, 'app', { run: `echo app >> ${starts}\nexec sleep 1000` });
    writeFileSync(join(app, 'needs'), 'db\n');
    writeFileSync(join(app, 'restart-policy'), 'needs-timeout=0.5\nbackoff-initial=0.1\ndeath-tally=2/60\n');
    startRunsv(cleanup, db);
    await waitFor(() => json(db).state === 'run', 'db to run, not ready', 15_000);
    startRunsv(cleanup, app, OUR_RUNSV, warnings);

    await waitFor(() => failureReason(app) === 'death-tally', 'two timed-out starts to reach the death tally', 30_000);
    const timedOut = `runsv ${app}: warning: ./needs: not up and ready after 0.5 s: db`;
    expect(lines(warnings)).toEqual([timedOut, timedOut, `runsv ${app}: warning: 2 deaths within 60 s: down until sv up`]);
    expect(lines(starts)).toEqual([]);
    expect(json(app)).toMatchObject({ state: 'down', want: 'down', needs: [], lastExit: null });
    expect(readStat(app)).toBe('down');
    expect(run(OUR_SV, ['status', app]).stdout).toMatch(new RegExp(`^down: ${app}: \\d+s, normally up, failed \\(death-tally\\)\\n$`));
    expect(json(db)).toMatchObject({ state: 'run', ready: false });

    await openGate(db);
    await waitFor(() => json(db).ready === true, 'db to be ready', 15_000);
    expect(run(OUR_SV, ['up', app]).code).toBe(0);
    await waitFor(() => lines(starts).length === 1 && readStat(app) === 'run', 'app to start after sv up', 15_000);
    expect(json(app)).toMatchObject({ state: 'run', failed: null, needs: [] });
  }, 60_000);

  it('sv status answers and sv down acts at once while a backoff is waited out', async () => {
    const root = cleanup.tempDir('runit-ts-policy-');
    const warnings = join(root, 'warnings');
    const starts = join(root, 'starts');
    const dir = makeService(root, 'flaky', { run: `echo start >> ${starts}\nexit 3` });
    // far longer than any wait below: a start or an answer that waited for it would time out
    writeFileSync(join(dir, 'restart-policy'), 'backoff-initial=300\nbackoff-max=300\n');
    startRunsv(cleanup, dir, OUR_RUNSV, warnings);

    // announced just before the status says down
    await waitFor(() => lines(warnings).length === 1 && json(dir).lastExit !== null, 'the backoff to be announced', 15_000);
    expect(lines(warnings)).toEqual([`runsv ${dir}: warning: ./run failed; started again in 300 s`]);
    const status = run(OUR_SV, ['status', dir]);
    expect(status).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^down: ${dir}: \\d+s, normally up, want up\\n$`)) as unknown });
    expect(json(dir)).toMatchObject({ state: 'down', want: 'up', restarts: 0, lastExit: { code: 3 } });

    // (sv -w down would not show it: down with pid 0 holds before runsv reads the byte, runit's race)
    expect(run(OUR_SV, ['down', dir]).code).toBe(0);
    await waitFor(() => json(dir).want === 'down', 'runsv to act on sv down', 15_000);
    expect(run(OUR_SV, ['status', dir]).stdout).toMatch(new RegExp(`^down: ${dir}: \\d+s, normally up\\n$`));
    expect(json(dir)).toMatchObject({ state: 'down', restarts: 0 });
    expect(lines(starts)).toEqual(['start']);

    // the backoff was called off with the start: sv up starts ./run now, not in 300 s
    expect(run(OUR_SV, ['up', dir]).code).toBe(0);
    await waitFor(() => lines(starts).length === 2, 'a start at sv up', 15_000);
  }, 60_000);

  it('a run ready for more than healthy-after restarts at once; one up as long but never ready backs off', async () => {
    const root = cleanup.tempDir('runit-ts-policy-');
    const warnings = join(root, 'warnings');
    const starts = join(root, 'starts');
    const firstDone = join(root, 'first-done');
    // the first ./run says it is ready, the second never does; each ends (exit 1) when its gate opens
    const dir = makeService(root, 'svc', {
      run: `echo start >> ${starts}\nif [ -e ${firstDone} ]; then read _ < gate; exit 1; fi\n: > ${firstDone}\necho >&3\nread _ < gate\nexit 1`,
    });
    gatedReady(dir);
    writeFileSync(join(dir, 'restart-policy'), 'backoff-initial=300\nbackoff-max=300\nhealthy-after=1\n');
    startRunsv(cleanup, dir, OUR_RUNSV, warnings);

    const readySince = await waitFor(() => json(dir).readySince as number | null, 'the first run to be ready', 15_000);
    await waitFor(() => Date.now() / 1000 - readySince > 1.5, 'the first run to have been ready 1.5 s', 15_000);
    await openGate(dir);
    await waitFor(() => lines(starts).length === 2, 'the restart after a healthy run (no backoff)', 15_000);
    expect(lines(warnings)).toEqual([]);

    const secondStart = Date.now();
    await waitFor(() => json(dir).state === 'run' && Date.now() - secondStart > 1500, 'the second run to be up 1.5 s', 15_000);
    expect(json(dir).ready).toBe(false);
    await openGate(dir);
    await waitFor(() => lines(warnings).length === 1 && json(dir).state === 'down', 'the backoff after a run never ready', 15_000);
    expect(lines(warnings)).toEqual([`runsv ${dir}: warning: ./run failed; started again in 300 s`]);
    expect(lines(starts)).toHaveLength(2);
    expect(json(dir)).toMatchObject({ state: 'down', want: 'up', restarts: 1, lastExit: { code: 1 } });
  }, 60_000);
});

describe('LSB mode', () => {
  it('start of a service that never gets ready times out as runit\'s sv does (exit 1), and succeeds once it is ready', async () => {
    const root = cleanup.tempDir('runit-ts-lsb-');
    const dir = makeService(root, 'web', { run: 'read _ < gate\necho >&3\nexec sleep 1000', down: true });
    gatedReady(dir);
    startRunsv(cleanup, dir);
    await waitFor(() => readStat(dir) === 'down', 'runsv to start', 15_000);
    mkdirSync(join(root, 'init.d'));
    const initScript = join(root, 'init.d', 'web');
    symlinkSync(OUR_SV, initScript);
    const lsb = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const result = spawnSync(initScript, args, { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, SVDIR: root }, timeout: 30_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };

    const timedOut = lsb(['-w', '1', 'start']);
    expect(timedOut).toEqual({ code: 1, stdout: expect.stringMatching(/^timeout: run: web: \(pid \d+\) \d+s, normally down, not ready\n$/) as unknown, stderr: '' });
    expect(json(dir)).toMatchObject({ state: 'run', want: 'up', ready: false });

    await openGate(dir);
    const started = lsb(['-w', '15', 'start']);
    expect(started).toEqual({ code: 0, stdout: expect.stringMatching(/^ok: run: web: \(pid \d+\) \d+s, normally down, ready\n$/) as unknown, stderr: '' });
  }, 60_000);
});
