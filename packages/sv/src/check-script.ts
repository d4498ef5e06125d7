// A service's ./check script, run the way runit's sv runs it; child_process is loaded only here.
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import type * as ChildProcess from 'node:child_process';
import { O_PATH, forKernel, givenBackEnv } from '@runit-ts/native';
import { runitErrorText } from '@runit-ts/protocol';
import { cannotRunCheck, cannotStat } from './messages.js';
import { errorCode } from './service-path.js';
import { writeStderr } from './output.js';

let childProcess: typeof ChildProcess | undefined;
let closedStdout: number | undefined;

/**
 * child_process takes a working directory as text only: a dir whose name is not UTF-8 is reached
 * through an O_PATH handle on it (/proc/self/fd/N, which the child enters before its exec).
 */
function workingDirectoryFor(dir: string): { cwd: string; release: () => void } {
  const bytes = forKernel(dir);
  if (typeof bytes === 'string') return { cwd: bytes, release: () => undefined };
  let fd: number;
  try {
    fd = openSync(bytes, O_PATH | constants.O_DIRECTORY);
  } catch {
    return { cwd: dir, release: () => undefined }; // the spawn fails then, and says why
  }
  return { cwd: `/proc/self/fd/${fd}`, release: () => closeSync(fd) };
}

/**
 * True when the check passes: no `check` file, exit code 0, death by a signal (runit reads only
 * the exit code, 0 then), or a check that cannot be executed (after a warning on stderr). A stat
 * error other than ENOENT is a warning and counts as not passed.
 */
export function checkPasses(dir: string, name: string): boolean {
  const path = `${dir}/check`;
  try {
    if (statSync(forKernel(path), { throwIfNoEntry: false }) === undefined) return true;
  } catch (error) {
    writeStderr(cannotStat(name, 'check', runitErrorText(errorCode(error))));
    return false;
  }
  // Node's spawn falls back to /bin/sh on ENOEXEC (execvp); runit's execve does not.
  if (!hasExecutableHeader(path)) {
    writeStderr(cannotRunCheck(name, runitErrorText('ENOEXEC')));
    return true;
  }
  childProcess ??= process.getBuiltinModule('node:child_process');
  const { cwd, release } = workingDirectoryFor(dir);
  let result: ChildProcess.SpawnSyncReturns<Buffer>;
  try {
    result = childProcess.spawnSync('./check', [], {
      cwd,
      argv0: './check',
      env: givenBackEnv(),
      stdio: ['inherit', stdoutForCheck(), 'inherit'],
    });
  } finally {
    release();
  }
  if (result.error) {
    writeStderr(cannotRunCheck(name, runitErrorText(errorCode(result.error))));
    return true;
  }
  return result.status === 0 || result.status === null;
}

/**
 * runit closes the check's stdout. Node cannot leave fd 1 closed in a child, so it gets /dev/null
 * opened read-only: every write fails with EBADF, exactly as on a closed descriptor.
 */
function stdoutForCheck(): number {
  closedStdout ??= openSync('/dev/null', 'r');
  return closedStdout;
}

/** `#!` or ELF: what the kernel executes. Files exec refuses for other reasons are left to exec. */
function hasExecutableHeader(path: string): boolean {
  let fd: number;
  try {
    accessSync(forKernel(path), constants.X_OK);
    fd = openSync(forKernel(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return true;
  }
  try {
    const head = new Uint8Array(4);
    const got = readSync(fd, head, 0, 4, null);
    const script = got >= 2 && head[0] === 0x23 && head[1] === 0x21;
    const elf = got === 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
    return script || elf;
  } catch {
    return true;
  } finally {
    closeSync(fd);
  }
}
