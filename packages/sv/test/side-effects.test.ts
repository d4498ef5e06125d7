// What sv does that its output does not show, counted through the service's own scripts, for the
// real sv and ours: the skip rule (a byte already in effect is not sent again) and the strictly
// greater timeout test (-w 0 still looks twice).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, referenceBinary } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OUR_SV, runSvBinary } from './helpers/run-sv.js';
import { IGNORE_TERM, makeService, superviseUntil, waitForStat } from './helpers/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const count = (file: string): number => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

const BINARIES = [
  ['the real sv', () => referenceBinary('sv')],
  ['our sv', () => OUR_SV],
] as const;

describe.each(BINARIES)('%s', (_name, binary) => {
  it('does not send d again once runsv has sent TERM for it', async () => {
    const dir = cleanup.tempDir('sv-skip-');
    const a = makeService(join(dir, 'a'), { run: IGNORE_TERM });
    // runsv runs control/t for each d it gets; exit 1 = not handled, so TERM is sent as well.
    mkdirSync(join(a, 'control'));
    writeFileSync(join(a, 'control', 't'), '#!/bin/sh\necho t >>../t.log\nexit 1\n');
    chmodSync(join(a, 'control', 't'), 0o755);
    await superviseUntil(cleanup, a, 'run');
    expect(runSvBinary(binary(), ['down', './a'], { cwd: dir }).code).toBe(0);
    await waitForStat(a, 'run, got TERM, want down');
    expect(count(join(dir, 't.log'))).toBe(1);
    expect(runSvBinary(binary(), ['down', './a'], { cwd: dir }).code).toBe(0);
    // runsv reads its FIFO in order: once the pause shows, a second d would have run control/t.
    expect(runSvBinary(binary(), ['pause', './a'], { cwd: dir }).code).toBe(0);
    await waitForStat(a, 'run, paused, got TERM, want down');
    expect(count(join(dir, 't.log'))).toBe(1);
  });

  it('with -w 0 looks twice before the timeout (the test is strictly greater)', async () => {
    const dir = cleanup.tempDir('sv-strict-');
    const a = makeService(join(dir, 'a'), { check: 'echo check >>../check.log\nexit 1' });
    await superviseUntil(cleanup, a, 'run');
    const result = runSvBinary(binary(), ['-w', '0', 'up', './a'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^timeout: run: \.\/a: \(pid \d+\) \d+s\n$/);
    expect(count(join(dir, 'check.log'))).toBe(2);
  });
});
