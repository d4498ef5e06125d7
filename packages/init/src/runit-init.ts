// runit-init: as PID 1, becomes runit (exec, same pid); otherwise `0` asks runit to halt and `6` to
// reboot, through the stopit and reboot files and a SIGCONT to PID 1.
import { chmodSync, closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execve } from '@runit-ts/native';
import { runitErrorText } from '@runit-ts/protocol';
import { EXIT_FATAL, EXIT_OK, EXIT_USAGE } from './exit.js';
import { runitInitMessages } from './messages.js';
import { nodeBinary } from './node-binary.js';
import { type RunitPaths, runitPaths } from './paths.js';

/** Thrown inside runit-init to end it with runit's fatal line. */
class Fatal extends Error {
  constructor(readonly line: string) {
    super(line.trimEnd());
  }
}

/** runit's open_trunc: O_WRONLY|O_NONBLOCK|O_TRUNC|O_CREAT, mode 0644 (less the umask). */
function createTruncated(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_TRUNC | constants.O_CREAT, 0o644));
  } catch (error) {
    throw new Fatal(runitInitMessages.unableToCreate(path, runitErrorText(error)));
  }
}

function chmod(path: string, mode: number, toleratedCode?: string): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === toleratedCode) return;
    throw new Fatal(runitInitMessages.unableToChmod(path, runitErrorText(error)));
  }
}

function wakeRunit(): void {
  try {
    process.kill(1, 'SIGCONT');
  } catch {
    // runit-init does not check kill(2) either
  }
}

/** `runit-init 0`: stopit armed, reboot disarmed, then SIGCONT to PID 1. */
export function requestHalt(paths: RunitPaths): void {
  createTruncated(paths.stopit);
  chmod(paths.stopit, 0o100);
  chmod(paths.reboot, 0, 'ENOENT');
  wakeRunit();
}

/** `runit-init 6`: stopit and reboot both armed, then SIGCONT to PID 1. */
export function requestReboot(paths: RunitPaths): void {
  createTruncated(paths.stopit);
  chmod(paths.stopit, 0o100);
  createTruncated(paths.reboot);
  chmod(paths.reboot, 0o100);
  wakeRunit();
}

/**
 * runit's bundle beside runit-init's (dist/runit.cjs), run by this same node with the same flags.
 * argv[0] is node's absolute path: runit, started before /proc is mounted, takes its execPath from it.
 */
export function runitBundlePath(): string {
  return fileURLToPath(new URL('./runit.cjs', import.meta.url));
}

function execRunit(): never {
  const script = runitBundlePath();
  // Checked first: node started on a missing script would exit, and PID 1 exiting panics the kernel.
  if (!existsSync(script)) throw new Fatal(runitInitMessages.unableToStartRunit(runitErrorText('ENOENT')));
  try {
    const node = nodeBinary();
    return execve(node, [node, ...process.execArgv, script], process.env, 'set-aside');
  } catch (error) {
    throw new Fatal(runitInitMessages.unableToStartRunit(runitErrorText(error)));
  }
}

function dispatch(args: readonly string[], argv0: string, paths: RunitPaths): number {
  if (process.pid === 1) execRunit();
  const first = args[0];
  switch (first?.[0]) {
    case '0':
      requestHalt(paths);
      return EXIT_OK;
    case '6':
      requestReboot(paths);
      return EXIT_OK;
    case '-':
      if (first[1] === 'V') writeSync(2, runitInitMessages.version);
      break;
    default:
      break;
  }
  writeSync(2, runitInitMessages.usage(argv0));
  return EXIT_USAGE;
}

/** Runs runit-init with its arguments (after argv0); returns the exit code (it never returns as PID 1). */
export function runRunitInit(args: readonly string[], argv0: string, paths: RunitPaths = runitPaths()): number {
  try {
    return dispatch(args, argv0, paths);
  } catch (error) {
    if (!(error instanceof Fatal)) throw error;
    writeSync(2, error.line);
    return EXIT_FATAL;
  }
}
