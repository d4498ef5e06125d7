// runit's own runsv check (docs/runit-behaviour.md §7 a–c) as a golden script, run against the real
// runsv and ours: both outputs must equal test/golden/runsv-check.out. Uses child_process, so no
// reaper here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, runScript } from '@runit-ts/test-support';
import { oursOnPath, realOnPath } from './commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const golden = (file: string): string => fileURLToPath(new URL(`./golden/${file}`, import.meta.url));

/** Runs the check script with `runsv` from binDir first on PATH, in a process group killed at clean-up. */
function runCheck(binDir: string): Promise<string> {
  const ctmp = join(cleanup.tempDir(), 'check-tmp');
  return runScript(cleanup, golden('runsv-check.sh'), { PATH: `${binDir}:/usr/bin:/bin`, ctmp });
}

describe('golden: runit\'s runsv check', () => {
  const expected = readFileSync(golden('runsv-check.out'), 'utf8');

  it('the real runsv gives the expected output', async () => {
    expect(await runCheck(realOnPath(cleanup))).toBe(expected);
  });

  it('our runsv gives the same output', async () => {
    expect(await runCheck(oursOnPath(cleanup))).toBe(expected);
  });
});
