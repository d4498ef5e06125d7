// runit's own sv check (docs/runit-behaviour.md §7) as a golden script, run with the real sv and with ours, both
// driving the REAL runsv: each output must equal test/golden/sv-check.out.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup, referenceBinary, runCheckScript } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OUR_SV } from './helpers/run-sv.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const golden = (file: string): string => fileURLToPath(new URL(`./golden/${file}`, import.meta.url));

/** Runs the check script with this sv and the real runsv first on PATH, in a group killed at clean-up. */
function runCheck(sv: string): Promise<string> {
  // Our sv's launcher finds node through PATH.
  const links = { sv, runsv: referenceBinary('runsv') };
  return runCheckScript(cleanup, golden('sv-check.sh'), links, `${dirname(process.execPath)}:/usr/bin:/bin`);
}

describe("golden: runit's sv check", () => {
  const expected = readFileSync(golden('sv-check.out'), 'utf8');

  it('the real sv gives the expected output', async () => {
    expect(await runCheck(referenceBinary('sv'))).toBe(expected);
  });

  it('our sv gives the same output', async () => {
    expect(await runCheck(OUR_SV)).toBe(expected);
  });
});
