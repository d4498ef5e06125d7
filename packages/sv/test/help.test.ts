// `sv --help`: the usage line and where the manual is, on stdout, exit 0. As a service name, --help
// means what it means to runit's sv.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cleanup, helpAnswer, referenceBinary, runCommand } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { OUR_SV, baseEnv } from './helpers/run-sv.js';

const manPage = fileURLToPath(new URL('../man/sv.8', import.meta.url));
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('sv --help', () => {
  it('prints the usage line and the manual page, exit 0', () => {
    expect(runCommand(OUR_SV, ['--help'])).toEqual(helpAnswer('usage: sv [-v] [-w sec] command service ...', 'sv', manPage));
    expect(existsSync(manPage)).toBe(true);
    expect(readFileSync(manPage, 'utf8')).toMatch(/^\.TH "SV" "8" /);
  });

  it('as a service name, is looked up as runit looks it up', () => {
    const dir = cleanup.tempDir('sv-help-');
    const env = baseEnv({ SVDIR: dir });
    const args = ['status', '--help'];
    const ours = runCommand(OUR_SV, args, { cwd: dir, env });
    expect(ours).toEqual(runCommand(referenceBinary('sv'), args, { cwd: dir, env }));
    expect(ours.stdout).toBe(`fail: --help: unable to change to service directory: file does not exist\n`);
  });
});
