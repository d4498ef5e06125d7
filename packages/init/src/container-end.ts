// The end of a container-mode stop, instead of reboot(2): TERM and CONT to every process left, a wait
// woken by each exit (never a fixed sleep) until none is left or the grace is over, KILL to the rest,
// then PID 1's exit code.
import { hasChildren, reaper, sync } from '@runit-ts/native';
import { regetStderr, say } from './console.js';
import type { ContainerStop } from './container-stop.js';
import { EXIT_CODE_FILE, readExitCodeFile } from './exit-code-file.js';
import { exists } from './files.js';
import { runitMessages } from './messages.js';
import type { RunitPaths } from './paths.js';
import type { Wakeup } from './wakeup.js';

function signalAll(signal: NodeJS.Signals): void {
  try {
    process.kill(-1, signal);
  } catch {
    // nothing else runs
  }
}

/**
 * Every process in the PID namespace descends from PID 1 (orphans are re-parented to it), so once it
 * has no child left, nothing else runs. Processes that joined the namespace from outside (`docker
 * exec`, nsenter) have their parent outside and are not waited for; the KILL, or the namespace's end,
 * takes them.
 */
function anyLeft(): boolean {
  reaper.reap();
  return hasChildren();
}

/** Resolves true once nothing is left, false when the grace is over first; each reaped exit wakes it. */
async function untilNoneLeft(stop: ContainerStop, wakeup: Wakeup, loopTimeoutMs: number): Promise<boolean> {
  while (anyLeft()) {
    if (stop.expired()) return false;
    await wakeup.wait(Math.min(Math.ceil(stop.remainingMs()), loopTimeoutMs));
  }
  return true;
}

function exitCode(stop: ContainerStop): number {
  const recorded = readExitCodeFile();
  if (recorded.kind === 'invalid') say(runitMessages.exitCodeIgnored(EXIT_CODE_FILE));
  const code = stop.exitCode(recorded.kind === 'code' ? recorded.code : undefined);
  if (recorded.kind !== 'code' && stop.causedByMain) say(runitMessages.mainCodeUnknown(EXIT_CODE_FILE, code));
  return code;
}

/** After stage 3 (or its grace): ends every process and returns the code PID 1 exits with. */
export async function endContainer(stop: ContainerStop, paths: RunitPaths, wakeup: Wakeup, loopTimeoutMs: number): Promise<number> {
  regetStderr();
  if (!stop.expired() && anyLeft()) {
    say(runitMessages.termAll);
    signalAll('SIGTERM');
    signalAll('SIGCONT');
    await untilNoneLeft(stop, wakeup, loopTimeoutMs);
  }
  if (anyLeft()) {
    say(runitMessages.killingAll);
    signalAll('SIGKILL');
  }
  const code = exitCode(stop);
  if (!exists(paths.nosync)) sync();
  say(runitMessages.containerExit(code));
  return code;
}
