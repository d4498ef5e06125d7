// `runsvdir --help` and `runsvchdir --help`: the usage line and where the manual is, on stdout, exit 0.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { helpAnswer, launcherOf, runCommand } from '@runit-ts/test-support';
import { describe, expect, it } from 'vitest';

const packageJson = new URL('../package.json', import.meta.url);

describe('--help', () => {
  it.each([
    ['runsvdir', 'usage: runsvdir [-P] dir'],
    ['runsvchdir', 'usage: runsvchdir dir'],
  ])('%s: prints the usage line and the manual page, exit 0', (command, usage) => {
    const page = fileURLToPath(new URL(`../man/${command}.8`, import.meta.url));
    expect(runCommand(launcherOf(packageJson, command), ['--help'])).toEqual(helpAnswer(usage, command, page));
    expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^\\.TH "${command.toUpperCase()}" "8" `));
  });
});
