// chpst against the reference chpst (Debian's runit 2.1.2): same stdout, stderr and exit code for each
// case, except where ours follows a newer runit on purpose (the case says which, and both sides).
import { chmodSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import { Cleanup, referenceBinary } from '@runit-ts/test-support';
import { PLAIN_PATH } from './helpers/commands.js';
import { startSleeper, writeEnvDir, writeScript } from './helpers/fixtures.js';
import { defineInteropTests, type CaseContext, type InteropCase } from './helpers/interop.js';

/** runit 2.2.0 and later list -C; Debian's 2.1.2 (the reference) does not have it. */
const USAGE =
  'usage: chpst [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-C pwd] [-n nice]' +
  ' [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n\n';
const USAGE_2_1_2 = USAGE.replace(' [-C pwd]', '');
const ID = '$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $\n';
const SESSION_CHECK = 'set -- $(cat /proc/$$/stat); if [ "$1" = "$6" ]; then echo session leader; else echo not leader; fi';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const envdir = (files: Record<string, string | Uint8Array | null>) => (context: CaseContext) => {
  writeEnvDir(join(context.dir, 'env'), files);
};

/** A unix socket file in the envdir: open(2) on it fails with ENXIO. The server closes at cleanup. */
async function socketIn(context: CaseContext): Promise<void> {
  mkdirSync(join(context.dir, 'env'), { recursive: true });
  writeFileSync(join(context.dir, 'env', 'A'), 'a\n');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(join(context.dir, 'env', 'sock'), resolve));
  context.cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** `chpst -e env true` run as nobody, with the envdir (holding the file `secret`) in these modes. */
function deniedToNobody(name: string, dirMode: number, fileMode: number, failure: string): InteropCase {
  return {
    name,
    setup: (context) => {
      envdir({ secret: 'x' })(context);
      chmodSync(join(context.dir, 'env', 'secret'), fileMode);
      chmodSync(join(context.dir, 'env'), dirMode);
    },
    asNobody: true,
    args: ['-e', 'env', 'true'],
    code: 111,
    stderr: `chpst: fatal: ${failure}\n`,
  };
}

/** A case that ends in the usage line (after `before`): 2.1.2's from the reference, 2.2.0's from ours. */
const usageCase = (name: string, args: string[], before = ''): InteropCase => ({
  name,
  args,
  code: 100,
  stderr: before + USAGE_2_1_2,
  newer: { runit: '2.2.0', stderr: before + USAGE },
});

const usageCases: InteropCase[] = [
  usageCase('no arguments', []),
  usageCase('-V', ['-V'], ID),
  usageCase('an unknown option', ['-x', 'true'], 'chpst: illegal option -- x\n'),
  usageCase('a missing option argument', ['-u'], 'chpst: option requires an argument -- u\n'),
  usageCase('options but no program', ['-P', '-v']),
  usageCase('a non-numeric -m', ['-m', '12x', 'true']),
  usageCase('a negative -o', ['-o', '-1', 'true']),
  usageCase('a non-numeric -n', ['-n', '5x', 'true']),
  usageCase('both -l and -L', ['-l', 'a', '-L', 'b', 'true']),
  usageCase('-V after a bad number (the number wins)', ['-d', 'x', '-V']),
  {
    name: '-C changes the directory',
    setup: (context) => mkdirSync(join(context.dir, 'sub')),
    args: ['-C', 'sub', 'pwd'],
    code: 100,
    stderr: `chpst: illegal option -- C\n${USAGE_2_1_2}`,
    newer: { runit: '2.2.0', code: 0, stderr: '', stdout: '$DIR/sub\n' },
  },
  {
    name: '-C with a directory that does not exist',
    args: ['-C', 'nodir', 'true'],
    code: 100,
    stderr: `chpst: illegal option -- C\n${USAGE_2_1_2}`,
    newer: { runit: '2.2.0', code: 111, stderr: 'chpst: fatal: unable to change directory: nodir: file does not exist\n' },
  },
  { name: 'options bundled with an attached argument', args: ['-P0vbname', 'sh', '-c', 'echo $0 ok'], code: 0 },
  { name: '-- ends the options', args: ['--', 'sh', '-c', 'echo done'], code: 0, stdout: 'done\n' },
];

const accountCases: InteropCase[] = [
  { name: '-u nobody id: uid, gid and groups', args: ['-u', 'nobody', 'id'], code: 0, stdout: /^uid=65534\(nobody\) gid=65534\(\w+\) groups=65534\(\w+\)\n$/ },
  { name: '-u user:group:group sets both groups', args: ['-u', 'nobody:daemon:root', 'id'], code: 0, stdout: /gid=1\(daemon\) groups=1\(daemon\),0\(root\)/ },
  { name: 'numeric -u :uid:gid:gid (no look-up)', args: ['-u', ':4242:4343:4444', 'id', '-u'], code: 0, stdout: '4242\n' },
  { name: 'numeric -u groups', args: ['-u', ':4242:4343:4444', 'id', '-G'], code: 0, stdout: '4343 4444\n' },
  { name: 'numeric -u with a trailing colon is gid 0', args: ['-u', ':12:', 'id'], code: 0, stdout: 'uid=12 gid=0(root) groups=0(root)\n' },
  { name: 'numeric -u :: is root', args: ['-u', '::', 'id', '-u'], code: 0, stdout: '0\n' },
  { name: 'an unknown user', args: ['-u', 'nosuchuser', 'true'], code: 111, stderr: 'chpst: fatal: unknown user/group: nosuchuser\n' },
  { name: 'an unknown group', args: ['-u', 'nobody:nosuchgroup', 'true'], code: 111, stderr: 'chpst: fatal: unknown user/group: nobody:nosuchgroup\n' },
  { name: 'an empty group', args: ['-u', 'nobody:', 'true'], code: 111, stderr: 'chpst: fatal: unknown user/group: nobody:\n' },
  { name: 'numeric uid without gid', args: ['-u', ':12', 'true'], code: 111, stderr: 'chpst: fatal: invalid uid/gids: 12\n' },
  { name: 'numeric gid that is not a number', args: ['-u', ':12:x', 'true'], code: 111, stderr: 'chpst: fatal: invalid uid/gids: 12:x\n' },
  { name: 'numeric uid that is not a number', args: ['-u', ':abc:1', 'true'], code: 111, stderr: 'chpst: fatal: invalid uid/gids: abc:1\n' },
  { name: '-U sets UID and GID only', args: ['-U', 'nobody', 'env'], code: 0, stdout: `PATH=${PLAIN_PATH}\nGID=65534\nUID=65534\n` },
  { name: '-U user:group', args: ['-U', 'nobody:daemon', 'sh', '-c', 'echo $UID $GID; id -u'], code: 0, stdout: '65534 1\n0\n' },
  { name: '-U numeric', args: ['-U', ':7:8:9', 'env'], code: 0, stdout: `PATH=${PLAIN_PATH}\nGID=8\nUID=7\n` },
  { name: '-U unknown user', args: ['-U', 'nosuchuser', 'true'], code: 111, stderr: 'chpst: fatal: unknown user/group: nosuchuser\n' },
];

const envdirCases: InteropCase[] = [
  {
    name: '-e: first line only, trailing blanks trimmed, NUL to newline, "\\n" is empty, dot files skipped',
    setup: envdir({ A: 'hello world  \t\nsecond\n', C: 'a\0b  \n', D: '\n', '.hidden': 'x\n', E: 'héllo wörld' }),
    args: ['-e', 'env', 'env'],
    code: 0,
  },
  {
    name: '-e: an empty file unsets, existing variables are replaced in runit order',
    setup: envdir({ B: '', Z: 'new', X: 'x2' }),
    env: () => ({ PATH: PLAIN_PATH, B: '1', X: '1', Y: '2', Z: '3', W: '4' }),
    args: ['-e', 'env', 'env'],
    code: 0,
  },
  {
    name: '-e: a "=" in a file name, and an empty file with "=" in its name',
    setup: envdir({ 'C=D': 'x=y\n', 'E=F': '' }),
    env: () => ({ PATH: PLAIN_PATH, C: '1', E: '2' }),
    args: ['-e', 'env', 'env'],
    code: 0,
  },
  {
    name: '-e: a dangling symlink takes the value read before it',
    setup: (context) => {
      envdir({ A: 'first value \n' })(context);
      symlinkSync('/nonexistent', join(context.dir, 'env', 'B'));
    },
    args: ['-e', 'env', 'env'],
    code: 0,
  },
  {
    name: '-e: a subdirectory is skipped silently',
    setup: envdir({ A: 'a', sub: null }),
    args: ['-e', 'env', 'env'],
    code: 0,
    stderr: '',
  },
  {
    name: '-v -e: a subdirectory is skipped with a warning',
    setup: envdir({ sub: null }),
    args: ['-v', '-e', 'env', 'true'],
    code: 0,
    stderr: 'chpst: warning: unable to read env/sub: is a directory\n',
  },
  {
    name: '-e: a missing dir',
    args: ['-e', 'nodir', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to switch to directory: nodir: file does not exist\n',
  },
  { name: '-e: an empty name', args: ['-e', '', 'true'], code: 111, stderr: 'chpst: fatal: unable to switch to directory: : file does not exist\n' },
  {
    name: '-e: a file, not a dir',
    setup: (context) => writeFileSync(join(context.dir, 'plain'), ''),
    args: ['-e', 'plain', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to switch to directory: plain: not a directory\n',
  },
  {
    name: '-e: a file open(2) cannot read (a socket)',
    setup: socketIn,
    args: ['-e', 'env', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to read env/sock: device not configured\n',
  },
  deniedToNobody('-e: an unreadable file (as nobody)', 0o755, 0o000, 'unable to read env/secret: access denied'),
  deniedToNobody('-e: a dir nobody may not list (as nobody)', 0o711, 0o644, 'unable to open directory: env: access denied'),
  deniedToNobody('-e: a dir nobody may not enter (as nobody)', 0o744, 0o644, 'unable to switch to directory: env: access denied'),
  {
    name: '-e then -U: the envdir variables come first',
    setup: envdir({ UID: 'from-dir', A: 'a' }),
    args: ['-e', 'env', '-U', ':5:6', 'env'],
    code: 0,
  },
  {
    name: 'the program is searched on chpst\'s PATH, not one set by -e',
    setup: (context) => {
      envdir({ PATH: `${context.dir}/elsewhere` })(context);
      writeScript(join(context.dir, 'elsewhere', 'only-here'), 'echo found');
    },
    args: ['-e', 'env', 'only-here'],
    code: 111,
    stderr: 'chpst: fatal: unable to run: only-here: file does not exist\n',
  },
];

const programCases: InteropCase[] = [
  { name: 'a program not on PATH', args: ['nosuchprogram'], code: 111, stderr: 'chpst: fatal: unable to run: nosuchprogram: file does not exist\n' },
  { name: 'a path that does not exist', args: ['/nonexistent/program'], code: 111, stderr: 'chpst: fatal: unable to run: /nonexistent/program: file does not exist\n' },
  {
    name: 'a file without execute permission',
    setup: (context) => writeFileSync(join(context.dir, 'noexec'), '#!/bin/sh\n'),
    args: ['./noexec'],
    code: 111,
    stderr: 'chpst: fatal: unable to run: ./noexec: access denied\n',
  },
  {
    name: 'a file exec(2) does not know',
    setup: (context) => {
      writeFileSync(join(context.dir, 'garbage'), 'garbage\0\0\0\0');
      chmodSync(join(context.dir, 'garbage'), 0o755);
    },
    args: ['./garbage'],
    code: 111,
    stderr: 'chpst: fatal: unable to run: ./garbage: exec format error\n',
  },
  {
    name: 'an access error on PATH is remembered while the search goes on',
    setup: (context) => mkdirSync(join(context.dir, 'prog')),
    env: () => ({ PATH: ':/nonexistent' }),
    args: ['prog'],
    code: 111,
    stderr: 'chpst: fatal: unable to run: prog: access denied\n',
  },
  {
    name: 'an empty PATH entry is the current dir',
    setup: (context) => writeScript(join(context.dir, 'here'), 'echo ran here'),
    env: () => ({ PATH: `/nonexistent::${PLAIN_PATH}` }),
    args: ['here'],
    code: 0,
    stdout: 'ran here\n',
  },
  {
    name: 'no PATH at all: /bin:/usr/bin',
    env: () => ({}),
    args: ['sh', '-c', 'echo default path'],
    code: 0,
    stdout: 'default path\n',
  },
  { name: '-b names argv[0]', args: ['-b', 'myname', '/bin/sh', '-c', 'tr "\\0" " " </proc/$$/cmdline'], code: 0, stdout: /^myname -c / },
  { name: '-b is the name in "unable to run"', args: ['-b', 'shown', 'nosuchprogram'], code: 111, stderr: 'chpst: fatal: unable to run: shown: file does not exist\n' },
  { name: 'the program\'s exit code is chpst\'s', args: ['sh', '-c', 'exit 7'], code: 7 },
];

const stateCases: InteropCase[] = [
  { name: '-P makes a new session', args: ['-P', 'sh', '-c', SESSION_CHECK], code: 0, stdout: 'session leader\n' },
  { name: 'without -P no new session', args: ['sh', '-c', SESSION_CHECK], code: 0, stdout: 'not leader\n' },
  { name: '-n 5', args: ['-n', '5', 'sh', '-c', 'echo $(( $(nice) ))'], code: 0 },
  { name: '-n +3', args: ['-n', '+3', 'nice'], code: 0 },
  { name: '-n -5 (root may lower it)', args: ['-n', '-5', 'nice'], code: 0 },
  { name: '-n 100 stops at the maximum', args: ['-n', '100', 'nice'], code: 0, stdout: '19\n' },
  { name: '-n 0 changes nothing', args: ['-n', '0', 'nice'], code: 0 },
  { name: '-012 true (runit\'s own check)', args: ['-012', 'true'], code: 0, stdout: '', stderr: '' },
  { name: '-P true (runit\'s own check)', args: ['-P', 'true'], code: 0 },
  { name: '-1 alone', args: ['-1', 'sh', '-c', 'echo lost; echo kept >&2'], code: 0, stdout: '', stderr: /: I\/O error\nkept\n$/ },
  { name: '-/ an empty root', args: ['-/', '', 'true'], code: 111, stderr: 'chpst: fatal: unable to change directory: : file does not exist\n' },
  { name: '-/ a missing root', args: ['-/', '/nonexistent', 'true'], code: 111, stderr: 'chpst: fatal: unable to change directory: /nonexistent: file does not exist\n' },
  {
    name: '-/ with -u looks the user up inside the root',
    setup: (context) => mkdirSync(join(context.dir, 'root')),
    args: ['-/', 'root', '-u', 'nobody', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to get password/group file entry: file does not exist\n',
  },
];

const privateDir = (context: CaseContext) => mkdirSync(join(context.dir, 'private'), { mode: 0o700 });

const privilegeCases: InteropCase[] = [
  { name: 'as nobody: -n -5', asNobody: true, args: ['-n', '-5', 'true'], code: 111, stderr: 'chpst: fatal: unable to set nice level: permission denied\n' },
  { name: 'as nobody: -u root', asNobody: true, args: ['-u', 'root', 'true'], code: 111, stderr: 'chpst: fatal: unable to setgroups: permission denied\n' },
  { name: 'as nobody: -/', asNobody: true, args: ['-/', '/', 'true'], code: 111, stderr: 'chpst: fatal: unable to change root directory: permission denied\n' },
  { name: 'as nobody: a lock in a private dir', asNobody: true, setup: privateDir, args: ['-L', 'private/lock', 'true'], code: 111, stderr: 'chpst: fatal: unable to open lock: private/lock: access denied\n' },
  { name: 'as nobody: -e a private dir', asNobody: true, setup: privateDir, args: ['-e', 'private', 'true'], code: 111, stderr: 'chpst: fatal: unable to switch to directory: private: access denied\n' },
];

const lockCases: InteropCase[] = [
  { name: '-l a free lock', args: ['-l', 'lock', 'sh', '-c', 'echo locked'], code: 0, stdout: 'locked\n' },
  { name: '-L a free lock', args: ['-L', 'lock', 'true'], code: 0 },
  {
    name: '-L a lock another process holds',
    setup: async (context) => {
      await startSleeper(context.cleanup, referenceBinary('chpst'), ['-L', 'lock'], context.dir);
    },
    args: ['-L', 'lock', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to lock: lock: temporary failure\n',
  },
  {
    name: '-l a lock file that cannot be created',
    args: ['-l', '/nonexistent/lock', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to open lock: /nonexistent/lock: file does not exist\n',
  },
  { name: '-L an empty name', args: ['-L', '', 'true'], code: 111, stderr: 'chpst: fatal: unable to open lock: : file does not exist\n' },
  {
    name: 'the lock file is created mode 0600',
    args: ['-L', 'lock', 'sh', '-c', 'stat -c %a lock'],
    code: 0,
    stdout: '600\n',
  },
];

const LIMITS = 'cat /proc/self/limits';
const limitCases: InteropCase[] = [
  { name: '-m sets data, stack, locked memory and address space', args: ['-m', '300000000', 'sh', '-c', LIMITS], code: 0 },
  { name: '-d -o -p -f -c -r -t', args: ['-d', '200000000', '-o', '100', '-p', '500', '-f', '100000', '-c', '0', '-r', '4000000', '-t', '1000', 'sh', '-c', LIMITS], code: 0 },
  { name: 'above the hard limit: the hard limit', shell: 'ulimit -n 200; ulimit -t 50; exec "$0" "$@"', args: ['-o', '5000', '-t', '99999', 'sh', '-c', LIMITS], code: 0, stdout: /Max cpu time\s+50\s+50 [^]*Max open files\s+200\s+200 / },
  { name: 'a number that is negative as a C long: the hard limit', shell: 'ulimit -c 12345; exec "$0" "$@"', args: ['-c', '18446744073709551615', 'sh', '-c', LIMITS], code: 0 },
];

const interop = (cases: InteropCase[]) => defineInteropTests(cases, cleanup);

describe('chpst usage', () => interop(usageCases));
describe('chpst -u and -U', () => interop(accountCases));
describe('chpst -e', () => interop(envdirCases));
describe('chpst finding and running the program', () => interop(programCases));
describe('chpst -P, -n, -0/-1/-2, -/', () => interop(stateCases));
describe('chpst -l and -L', () => interop(lockCases));
describe('chpst without privileges', () => interop(privilegeCases));
describe('chpst resource limits', () => interop(limitCases));
