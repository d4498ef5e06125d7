// Starts a stage (or ctrlaltdel) the way runit's forked child sets itself up: stage 1 gets the console
// read-write on fd 0, stages 2 and 3 a new session, every signal at its default (runit 2.3.0; 2.1.2
// left SIGCONT ignored in every process), argv = [path], runit's environment.
import { closeSync } from 'node:fs';
import { type EnvEntry, type ExitStatus, isForkFailure, reaper, spawn } from '@runit-ts/native';
import { FORK_RETRY_MS, runitErrorText } from '@runit-ts/protocol';
import { openConsoleReadWrite, say } from './console.js';
import { runitMessages } from './messages.js';
import { sleep } from './sleep.js';

export type ChildSetup = 'stage1' | 'new-session' | 'same-session';

export interface RunningChild {
  pid: number;
  /** Set by the reaper when the child ends. */
  exit: ExitStatus | undefined;
  /** Resolves with the exit once the reaper has collected it. */
  exited: Promise<ExitStatus>;
}

function stage1Fds(): { fds: Array<number | null>; close: () => void } {
  try {
    const fd = openConsoleReadWrite();
    return { fds: [fd, 1, 2], close: () => closeSync(fd) };
  } catch (error) {
    say(runitMessages.unableToOpenConsole(runitErrorText(error)));
    return { fds: [0, 1, 2], close: () => {} };
  }
}

function stdioFor(setup: ChildSetup): { fds: Array<number | null>; close: () => void } {
  return setup === 'stage1' ? stage1Fds() : { fds: [0, 1, 2], close: () => {} };
}

/**
 * Prints `enter stage`, starts path and returns the running child; null when it cannot be executed
 * (runit's child then prints the fatal line and exits 0, so the caller treats it as an exit 0).
 */
export async function startChild(path: string, setup: ChildSetup, env: EnvEntry[], onExit?: () => void): Promise<RunningChild | null> {
  for (;;) {
    // In this order, as runit's child: the console warning, `enter stage`, then the exec.
    const stdio = stdioFor(setup);
    say(runitMessages.enterStage(path));
    let settle!: (exit: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((resolve) => (settle = resolve));
    const child: RunningChild = { pid: 0, exit: undefined, exited };
    try {
      child.pid = spawn({ file: path, argv: [path], env, fds: stdio.fds, setsid: setup === 'new-session' });
      reaper.watch(child.pid, (exit) => {
        child.exit = exit;
        settle(exit);
        onExit?.();
      });
      return child;
    } catch (error) {
      const text = runitErrorText(error);
      if (!isForkFailure(error)) {
        say(runitMessages.unableToStart(path, text));
        return null;
      }
      say(runitMessages.unableToFork(path, text));
      await sleep(FORK_RETRY_MS);
    } finally {
      stdio.close();
    }
  }
}
