// The typed library API: the --json record for Node programs, and control bytes, against a REAL runsv.
import { join } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { readServiceStatus, sendControl, ServiceError } from '../src/index.js';
import { OUR_SV, runSvBinary } from './helpers/run-sv.js';
import { control, makeService, superviseUntil, waitForStat } from './helpers/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('readServiceStatus', () => {
  it('returns what sv status --json prints', async () => {
    const dir = cleanup.tempDir('sv-lib-');
    const a = makeService(join(dir, 'a'), { log: true });
    await superviseUntil(cleanup, a, 'run');
    const printed = JSON.parse(runSvBinary(OUR_SV, ['status', '--json', 'a'], { cwd: dir, env: { SVDIR: dir } }).stdout);
    const read = readServiceStatus('a', { svdir: dir });
    expect({ ...read, seconds: 0, log: { ...read.log, seconds: 0 } }).toEqual({ ...printed, seconds: 0, log: { ...printed.log, seconds: 0 } });
    expect(readServiceStatus(a)).toMatchObject({ name: a, state: 'run' });
  });

  it('throws a ServiceError with runit\'s reason', async () => {
    const dir = cleanup.tempDir('sv-lib-');
    expect(() => readServiceStatus('nope', { svdir: dir })).toThrow(
      expect.objectContaining({ name: 'ServiceError', service: 'nope', reason: 'unable to change to service directory: file does not exist' }),
    );
    const a = makeService(join(dir, 'a'));
    const runsv = await superviseUntil(cleanup, a, 'run');
    control(a, 'x');
    await runsv.exited;
    expect(() => readServiceStatus(a)).toThrow(ServiceError);
    expect(() => readServiceStatus(a)).toThrow(`${a}: runsv not running`);
  });
});

describe('sendControl', () => {
  it('writes the bytes to supervise/control', async () => {
    const dir = cleanup.tempDir('sv-lib-');
    const a = makeService(join(dir, 'a'));
    await superviseUntil(cleanup, a, 'run');
    sendControl('a', 'p', { svdir: dir });
    await waitForStat(a, 'run, paused');
    sendControl(a, 'cd');
    await waitForStat(a, 'down');
  });

  it('throws when runsv does not run or the dir is missing', async () => {
    const dir = cleanup.tempDir('sv-lib-');
    expect(() => sendControl(join(dir, 'nope'), 'u')).toThrow('unable to change to service directory: file does not exist');
    const a = makeService(join(dir, 'a'));
    const runsv = await superviseUntil(cleanup, a, 'run');
    control(a, 'x');
    await runsv.exited;
    expect(() => sendControl(a, 'u')).toThrow(expect.objectContaining({ reason: 'runsv not running' }));
  });
});
