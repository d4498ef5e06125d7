// The personalities (chpst called as envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit)
// against the reference chpst called through a symlink of the same name.
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import { Cleanup, referenceBinary } from '@runit-ts/test-support';
import { PLAIN_PATH } from './helpers/commands.js';
import { startSleeper, writeEnvDir } from './helpers/fixtures.js';
import { defineInteropTests, type CaseContext, type InteropCase } from './helpers/interop.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** chpst's synopsis, which lists -C from runit 2.2.0 on; Debian's 2.1.2 (the reference) does not. */
const MAIN_SYNOPSIS =
  ' [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-C pwd] [-n nice]' +
  ' [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n\n';
const MAIN_SYNOPSIS_2_1_2 = MAIN_SYNOPSIS.replace(' [-C pwd]', '');
const SOFTLIMIT_SYNOPSIS =
  ' [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes]' +
  ' [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child\n\n';
const SETLOCK_USAGE = 'usage: setlock [ -nNxX ] file program [ arg ... ]\n\n';
const SESSION_CHECK = 'set -- $(cat /proc/$$/stat); if [ "$1" = "$6" ]; then echo session leader; else echo not leader; fi';
const LIMITS = 'cat /proc/self/limits';

const holdLock = async (context: CaseContext): Promise<void> => {
  await startSleeper(context.cleanup, referenceBinary('chpst'), ['-L', 'lock'], context.dir);
};

const cases: InteropCase[] = [
  { name: 'envdir: usage', as: 'envdir', args: ['env'], code: 100, stderr: 'usage: envdir dir child\n\n' },
  {
    name: 'envdir: sets the variables',
    as: 'envdir',
    setup: (context) => writeEnvDir(join(context.dir, 'env'), { A: 'one  \nmore', B: '', '.dot': 'x' }),
    env: () => ({ PATH: PLAIN_PATH, B: 'gone' }),
    args: ['env', 'env'],
    code: 0,
    stdout: `PATH=${PLAIN_PATH}\nA=one\n`,
  },
  {
    name: 'envdir: a subdirectory is fatal',
    as: 'envdir',
    setup: (context) => writeEnvDir(join(context.dir, 'env'), { sub: null }),
    args: ['env', 'true'],
    code: 111,
    stderr: 'chpst: fatal: unable to read env/sub: is a directory\n',
  },
  { name: 'envdir: a missing dir', as: 'envdir', args: ['nodir', 'true'], code: 111, stderr: 'chpst: fatal: unable to switch to directory: nodir: file does not exist\n' },
  { name: 'envdir: options are not options', as: 'envdir', args: ['-x', 'true'], code: 111, stderr: 'chpst: fatal: unable to switch to directory: -x: file does not exist\n' },
  { name: 'envuidgid: usage', as: 'envuidgid', args: ['nobody'], code: 100, stderr: 'usage: envuidgid account child\n\n' },
  { name: 'envuidgid: sets UID and GID', as: 'envuidgid', args: ['nobody', 'env'], code: 0, stdout: `PATH=${PLAIN_PATH}\nGID=65534\nUID=65534\n` },
  { name: 'envuidgid: an unknown account', as: 'envuidgid', args: ['nosuchuser', 'env'], code: 111, stderr: 'chpst: fatal: unknown account: nosuchuser\n' },
  { name: 'setuidgid: usage', as: 'setuidgid', args: [], code: 100, stderr: 'usage: setuidgid account child\n\n' },
  { name: 'setuidgid: runs as the account, primary group only', as: 'setuidgid', args: ['nobody', 'id'], code: 0, stdout: /^uid=65534\(nobody\) gid=65534\(\w+\) groups=65534\(\w+\)\n$/ },
  { name: 'setuidgid: no user:group notation', as: 'setuidgid', args: ['nobody:nogroup', 'id'], code: 111, stderr: 'chpst: fatal: unknown account: nobody:nogroup\n' },
  { name: 'setuidgid: no numeric notation', as: 'setuidgid', args: [':1:1', 'id'], code: 111, stderr: 'chpst: fatal: unknown account: :1:1\n' },
  { name: 'pgrphack: usage', as: 'pgrphack', args: [], code: 100, stderr: 'usage: pgrphack child\n\n' },
  { name: 'pgrphack: a new session', as: 'pgrphack', args: ['sh', '-c', SESSION_CHECK], code: 0, stdout: 'session leader\n' },
  { name: 'setlock: usage', as: 'setlock', args: ['lock'], code: 100, stderr: SETLOCK_USAGE },
  { name: 'setlock: an unknown option', as: 'setlock', args: ['-z', 'lock', 'true'], code: 100, stderr: `setlock: illegal option -- z\n${SETLOCK_USAGE}` },
  { name: 'setlock: a free lock', as: 'setlock', args: ['lock', 'sh', '-c', 'echo got it'], code: 0, stdout: 'got it\n' },
  { name: 'setlock: a held lock fails at once', as: 'setlock', setup: holdLock, args: ['lock', 'true'], code: 111, stderr: 'chpst: fatal: unable to lock: lock: temporary failure\n' },
  { name: 'setlock -N: fails at once too', as: 'setlock', setup: holdLock, args: ['-nN', 'lock', 'true'], code: 111 },
  { name: 'setlock -x: a held lock exits 0 quietly', as: 'setlock', setup: holdLock, args: ['-x', 'lock', 'true'], code: 0, stderr: '' },
  { name: 'setlock -xX: not quiet again', as: 'setlock', setup: holdLock, args: ['-xX', 'lock', 'true'], code: 111 },
  { name: 'setlock -x: a missing program exits 0 quietly', as: 'setlock', args: ['-x', 'lock', 'nosuchprogram'], code: 0, stderr: '' },
  { name: 'setlock -x: a lock that cannot be opened exits 0', as: 'setlock', args: ['-x', '/nonexistent/lock', 'true'], code: 0, stderr: '' },
  { name: 'setlock: a missing program', as: 'setlock', args: ['lock', 'nosuchprogram'], code: 111, stderr: 'chpst: fatal: unable to run: nosuchprogram: file does not exist\n' },
  { name: 'softlimit: usage', as: 'softlimit', args: ['-m', '100'], code: 100, stderr: `usage: softlimit${SOFTLIMIT_SYNOPSIS}` },
  { name: 'softlimit: an unknown option', as: 'softlimit', args: ['-z', 'true'], code: 100, stderr: `softlimit: illegal option -- z\nusage: softlimit${SOFTLIMIT_SYNOPSIS}` },
  {
    name: 'softlimit: a bad number gets chpst\'s usage',
    as: 'softlimit',
    args: ['-m', 'x', 'true'],
    code: 100,
    stderr: `usage: softlimit${MAIN_SYNOPSIS_2_1_2}`,
    newer: { runit: '2.2.0', stderr: `usage: softlimit${MAIN_SYNOPSIS}` },
  },
  { name: 'softlimit: every option', as: 'softlimit', args: ['-a', '400000000', '-c', '0', '-d', '300000000', '-f', '100000', '-l', '65536', '-o', '100', '-p', '500', '-r', '4000000', '-s', '8000000', '-t', '1000', 'sh', '-c', LIMITS], code: 0 },
  { name: 'softlimit -m: data, stack, memlock and address space', as: 'softlimit', args: ['-m', '300000000', 'sh', '-c', LIMITS], code: 0 },
  { name: 'softlimit =: up to the hard limit', as: 'softlimit', shell: 'ulimit -S -n 50; ulimit -S -c 0; exec "$0" "$@"', args: ['-o', '=', '-c', '=', 'sh', '-c', LIMITS], code: 0 },
  { name: 'a leading d is dropped: dsetlock', as: 'dsetlock', args: ['-z'], code: 100, stderr: `dsetlock: illegal option -- z\n${SETLOCK_USAGE}` },
  { name: 'a leading d is dropped: denvdir', as: 'denvdir', args: [], code: 100, stderr: 'usage: envdir dir child\n\n' },
  {
    name: 'another name is chpst, named so in usage',
    as: 'dchpst',
    args: [],
    code: 100,
    stderr: `usage: chpst${MAIN_SYNOPSIS_2_1_2}`,
    newer: { runit: '2.2.0', stderr: `usage: chpst${MAIN_SYNOPSIS}` },
  },
  { name: 'an unrelated name is chpst', as: 'runthis', args: ['-u', 'nobody', 'id', '-u'], code: 0, stdout: '65534\n' },
];

describe('chpst personalities, through symlinks', () => defineInteropTests(cases, cleanup));
