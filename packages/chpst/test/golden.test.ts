// runit's own chpst check (runit 2.2.0's, docs/runit-behaviour.md §7) as a golden script, run with
// our chpst and with the reference: ours must print test/golden/chpst-check.out exactly; Debian's
// 2.1.2 prints the same except its usage line, which predates -C.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cleanup, referenceBinary, runCheckScript } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OUR_CHPST, PLAIN_PATH } from './helpers/commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const golden = (file: string): string => fileURLToPath(new URL(`./golden/${file}`, import.meta.url));

const runCheck = (chpst: string): Promise<string> => runCheckScript(cleanup, golden('chpst-check.sh'), { chpst }, PLAIN_PATH);

describe("golden: runit's chpst check", () => {
  const expected = readFileSync(golden('chpst-check.out'), 'utf8');

  it('our chpst gives runit 2.2.0\'s expected output (its usage line lists -C)', async () => {
    expect(await runCheck(OUR_CHPST)).toBe(expected);
  });

  it('the reference (Debian\'s 2.1.2) gives the same but for the usage line, which lacks [-C pwd]', async () => {
    expect(await runCheck(referenceBinary('chpst'))).toBe(expected.split(' [-C pwd]').join(''));
  });
});
