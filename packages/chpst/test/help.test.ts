// `--help` for chpst, each personality and utmpset: the usage line and where the manual is, on stdout,
// exit 0. After an option, --help means what it means to runit's chpst.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cleanup, helpAnswer, launcherOf, referenceBinary, runCommand } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN_PATH } from './helpers/commands.js';

const packageJson = new URL('../package.json', import.meta.url);
const page = (name: string): string => fileURLToPath(new URL(`../man/${name}.8`, import.meta.url));
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// runit 2.2.0's usage line (unchanged in 2.3.0): Debian's 2.1.2 lacks `[-C pwd] ` (docs/commands/chpst.md)
const CHPST_USAGE =
  'usage: chpst [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-C pwd] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog';
const OLD_USAGE = CHPST_USAGE.replace('[-C pwd] ', '');

const USAGES: Array<[string, string, string]> = [
  [
    'chpst',
    CHPST_USAGE,
    'chpst',
  ],
  ['envdir', 'usage: envdir dir child', 'chpst'],
  ['envuidgid', 'usage: envuidgid account child', 'chpst'],
  ['pgrphack', 'usage: pgrphack child', 'chpst'],
  ['setlock', 'usage: setlock [ -nNxX ] file program [ arg ... ]', 'chpst'],
  ['setuidgid', 'usage: setuidgid account child', 'chpst'],
  [
    'softlimit',
    'usage: softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child',
    'chpst',
  ],
  ['utmpset', 'usage: utmpset [-w] line', 'utmpset'],
];

describe('--help', () => {
  it.each(USAGES)('%s: prints the usage line and the manual page, exit 0', (command, usage, file) => {
    expect(runCommand(launcherOf(packageJson, command), ['--help'])).toEqual(helpAnswer(usage, command, page(file)));
  });

  it('ships a page per command; the personalities point at chpst.8', () => {
    expect(readFileSync(page('chpst'), 'utf8')).toMatch(/^\.TH "CHPST" "8" /);
    expect(readFileSync(page('utmpset'), 'utf8')).toMatch(/^\.TH "UTMPSET" "8" /);
    for (const personality of ['envdir', 'envuidgid', 'pgrphack', 'setlock', 'setuidgid', 'softlimit']) {
      expect(readFileSync(page(personality), 'utf8')).toBe('.so man8/chpst.8\n');
    }
  });

  it("after an option, means what it means to runit's chpst (the end of the options, then no program)", () => {
    const dir = cleanup.tempDir('chpst-help-');
    const args = ['-v', '--help'];
    const env = { PATH: PLAIN_PATH };
    const ours = runCommand(launcherOf(packageJson, 'chpst'), args, { cwd: dir, env });
    const reference = runCommand(referenceBinary('chpst'), args, { cwd: dir, env });
    // the same answer, but for the usage line's [-C pwd] (runit 2.2.0 and later)
    expect(reference.stderr).toContain(OLD_USAGE);
    expect(ours).toEqual({ ...reference, stderr: reference.stderr.replace(OLD_USAGE, CHPST_USAGE) });
    expect(ours.code).toBe(100);
  });
});
