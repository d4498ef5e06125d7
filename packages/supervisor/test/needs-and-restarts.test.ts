// Start order and the restart policy with real processes (docs/readiness-and-restarts.md): a needs
// chain of three supervised by three runsv processes starts in order, a ./run that always fails is
// started at growing intervals up to the cap until the death tally takes it down, `sv up` clears
// that, and ./finish exiting 125 stops restarts. Uses child_process: no reaper.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { lines, makeService, readStat } from './fixtures.js';
import { OUR_SV, openGate, run, startRunsv, statusJson } from './our-tools.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const json = statusJson;

describe('needs', () => {
  it('a chain of three starts in order, each once the one it needs is up and ready', async () => {
    const root = cleanup.tempDir('runit-ts-needs-');
    const order = join(root, 'order');
    const db = makeService(root, 'db', { run: `echo db >> ${order}\nread _ < gate\necho >&3\nexec sleep 1000` });
    writeFileSync(join(db, 'notification-fd'), '3\n');
    execFileSync('mkfifo', [join(db, 'gate')]);
    const app = makeService(root, 'app', { run: `echo app >> ${order}\nexec sleep 1000` });
    writeFileSync(join(app, 'needs'), 'db\n');
    const web = makeService(root, 'web', { run: `echo web >> ${order}\nexec sleep 1000` });
    writeFileSync(join(web, 'needs'), '# the app serves it\napp\n');
    for (const dir of [web, app, db]) startRunsv(cleanup, dir);

    await waitFor(() => json(app).needs?.toString() === 'db' && json(web).needs?.toString() === 'app', 'app and web to wait', 15_000);
    expect(lines(order)).toEqual(['db']);
    expect(readStat(app)).toBe('down');
    expect(run(OUR_SV, ['status', app]).stdout).toMatch(/^down: .*app: \d+s, normally up, want up, needs db\n$/);
    expect(run(referenceBinary('sv'), ['status', app]).stdout).toMatch(/^down: .*app: \d+s, normally up, want up\n$/);

    await openGate(db);
    await waitFor(() => lines(order).length === 3 && json(web).ready === true, 'web to start', 15_000);
    expect(lines(order)).toEqual(['db', 'app', 'web']);
    expect(json(web)).toMatchObject({ state: 'run', needs: [], ready: true });
  }, 60_000);


  it('a dependency under runit\'s own runsv counts as ready once up', async () => {
    const root = cleanup.tempDir('runit-ts-needs-');
    const base = makeService(root, 'base', { down: true });
    const app = makeService(root, 'app', {});
    writeFileSync(join(app, 'needs'), 'base\n');
    startRunsv(cleanup, base, referenceBinary('runsv'));
    await waitFor(() => readStat(base) === 'down', 'runit\'s runsv to start', 15_000);
    startRunsv(cleanup, app);
    await waitFor(() => json(app).needs?.toString() === 'base', 'app to wait', 15_000);
    expect(run(referenceBinary('sv'), ['up', base]).code).toBe(0);
    await waitFor(() => json(app).state === 'run', 'app to start', 15_000);
    expect(json(app).needs).toEqual([]);
  }, 60_000);
});

describe('restart policy', () => {
  it('backs off up to the cap, stops after the death tally, and sv up starts it afresh', async () => {
    const root = cleanup.tempDir('runit-ts-policy-');
    const starts = join(root, 'starts');
    const dir = makeService(root, 'flaky', { run: `date +%s.%N >> ${starts}\nexit 3` });
    writeFileSync(join(dir, 'restart-policy'), 'backoff-initial=0.2\nbackoff-max=0.4\ndeath-tally=4/60\n');
    startRunsv(cleanup, dir);

    await waitFor(() => (json(dir).failed as { reason?: string } | null)?.reason === 'death-tally', 'the death tally', 30_000);
    const times = lines(starts).map(Number);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // lower bounds only (a loaded machine may be late, never early): 0.2 s, then doubled, capped at 0.4 s
    expect(gaps[0]).toBeGreaterThanOrEqual(0.2);
    expect(gaps[1]).toBeGreaterThanOrEqual(0.4);
    expect(gaps[2]).toBeGreaterThanOrEqual(0.4);
    expect(readStat(dir)).toBe('down');
    expect(json(dir)).toMatchObject({ state: 'down', want: 'down', restarts: 3, lastExit: { code: 3 } });
    expect(run(OUR_SV, ['status', dir]).stdout).toMatch(/^down: .*flaky: \d+s, normally up, failed \(death-tally\)\n$/);

    expect(run(OUR_SV, ['up', dir]).code).toBe(0);
    await waitFor(() => lines(starts).length === 5, 'a start after sv up', 15_000);
    expect(json(dir).failed).toBe(null);
  }, 60_000);

  it('./finish exiting 125 is a permanent failure (s6): no restart until sv up', async () => {
    const root = cleanup.tempDir('runit-ts-policy-');
    const starts = join(root, 'starts');
    const dir = makeService(root, 'broken', { run: `echo start >> ${starts}\nexit 78`, finish: 'exit 125' });
    writeFileSync(join(dir, 'restart-policy'), '');
    startRunsv(cleanup, dir);
    await waitFor(() => json(dir).failed !== null && json(dir).failed !== undefined, 'the failure', 15_000);
    expect(json(dir)).toMatchObject({ state: 'down', want: 'down', failed: { reason: 'finish-exit-125' }, lastExit: { code: 78 } });
    expect(readStat(dir)).toBe('down'); // want down: nothing will start it again
    expect(lines(starts)).toEqual(['start']);
    expect(run(OUR_SV, ['up', dir]).code).toBe(0);
    await waitFor(() => lines(starts).length === 2, 'a start after sv up', 15_000);
  }, 60_000);
});
