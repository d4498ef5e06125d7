// `runsv --help`: the usage line and where the manual is, on stdout, exit 0.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { helpAnswer, launcherOf, runCommand } from '@runit-ts/test-support';
import { describe, expect, it } from 'vitest';

const packageJson = new URL('../package.json', import.meta.url);

describe('runsv --help', () => {
  it('prints the usage line and the manual page, exit 0', () => {
    const page = fileURLToPath(new URL('../man/runsv.8', import.meta.url));
    expect(runCommand(launcherOf(packageJson, 'runsv'), ['--help'])).toEqual(helpAnswer('usage: runsv dir', 'runsv', page));
    expect(readFileSync(page, 'utf8')).toMatch(/^\.TH "RUNSV" "8" /);
  });
});
