// `sv status --json` (ours, beyond runit): one JSON object per service, checked against the files
// a REAL runsv writes, with runit's failure counting for the exit code.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OUR_SV, runSvBinary } from './helpers/run-sv.js';
import { control, IGNORE_TERM, makeService, superviseUntil, waitForStat } from './helpers/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const pidOf = (dir: string): number => Number(readFileSync(join(dir, 'supervise', 'pid'), 'utf8'));
const lines = (stdout: string): unknown[] => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);

describe('sv status --json', () => {
  it('prints a service and its log as one object, fields as runsv wrote them', async () => {
    const dir = cleanup.tempDir('sv-json-');
    const a = makeService(join(dir, 'a'), { log: true });
    await superviseUntil(cleanup, a, 'run');
    const result = runSvBinary(OUR_SV, ['status', '--json', 'a'], { cwd: dir, env: { SVDIR: dir } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(lines(result.stdout)).toEqual([
      {
        name: 'a',
        state: 'run',
        pid: pidOf(a),
        seconds: expect.any(Number),
        want: 'up',
        paused: false,
        got_term: false,
        normally_up: true,
        ready: true,
        readySince: expect.any(Number),
        readiness: [],
        restarts: null,
        lastExit: null,
        failed: null,
        needs: [],
        log: {
          name: 'log',
          state: 'run',
          pid: pidOf(join(a, 'log')),
          seconds: expect.any(Number),
          want: 'up',
          paused: false,
          got_term: false,
          normally_up: true,
        },
      },
    ]);
  });

  it('gives one line per service, failures as {name, error}, and counts them in the exit code', async () => {
    const dir = cleanup.tempDir('sv-json-');
    const paused = makeService(join(dir, 'paused'), { run: IGNORE_TERM });
    const down = makeService(join(dir, 'down'), { down: true });
    const gone = makeService(join(dir, 'gone'));
    await superviseUntil(cleanup, paused, 'run');
    control(paused, 'p');
    await waitForStat(paused, 'run, paused');
    control(paused, 'd');
    await waitForStat(paused, 'run, paused, got TERM, want down');
    await superviseUntil(cleanup, down, 'down');
    const goneRunsv = await superviseUntil(cleanup, gone, 'run');
    control(gone, 'x');
    await goneRunsv.exited;

    const result = runSvBinary(OUR_SV, ['--json', 'status', './paused', './down', './missing', './gone'], { cwd: dir });
    expect(result).toMatchObject({ code: 2, stderr: '' });
    expect(lines(result.stdout)).toEqual([
      expect.objectContaining({ name: './paused', state: 'run', pid: pidOf(paused), want: 'down', paused: true, got_term: true, log: null }),
      expect.objectContaining({ name: './down', state: 'down', pid: null, want: 'down', normally_up: false, log: null }),
      { name: './missing', error: 'unable to change to service directory: file does not exist' },
      { name: './gone', error: 'runsv not running' },
    ]);
  });

  it('shows an unreadable log as an error object and counts it', async () => {
    const dir = cleanup.tempDir('sv-json-');
    const a = makeService(join(dir, 'a'));
    await superviseUntil(cleanup, a, 'run');
    mkdirSync(join(a, 'log'));
    const result = runSvBinary(OUR_SV, ['status', '--json', './a'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      expect.objectContaining({ name: './a', state: 'run', log: { name: 'log', error: 'unable to open supervise/ok: file does not exist' } }),
    ]);
  });

  it('keeps the LSB status exit codes', async () => {
    const dir = cleanup.tempDir('sv-json-');
    const a = makeService(join(dir, 'a'), { down: true });
    await superviseUntil(cleanup, a, 'down');
    const result = runSvBinary(OUR_SV, ['--json', 'status'], { cwd: dir, env: { SVDIR: dir }, lsbName: 'a' });
    expect(result.code).toBe(3);
    expect(lines(result.stdout)).toEqual([expect.objectContaining({ name: 'a', state: 'down', normally_up: false })]);
  });

  it('is refused with any other command', () => {
    const dir = cleanup.tempDir('sv-json-');
    const result = runSvBinary(OUR_SV, ['--json', 'up', 'a'], { cwd: dir });
    expect(result).toEqual({ stdout: '', stderr: 'usage: sv [-v] [-w sec] command service ...\n\n', code: 100 });
  });
});
