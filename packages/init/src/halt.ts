// The last step, as runit's forked child takes it: reboot(2) with RB_AUTOBOOT when the reboot file is
// owner-executable, else power off, and 2 s later halt; sync() first unless the nosync file exists.
import { RB, reboot, sync } from '@runit-ts/native';
import { say } from './console.js';
import { exists, isOwnerExecutable } from './files.js';
import { runitMessages } from './messages.js';
import type { RunitPaths } from './paths.js';
import { sleep } from './sleep.js';

/** Pause between an unsuccessful power-off and the halt. */
export const HALT_AFTER_POWER_OFF_MS = 2000;

function syncIfNeeded(paths: RunitPaths): void {
  if (!exists(paths.nosync)) sync();
}

function tryReboot(cmd: number): void {
  try {
    reboot(cmd);
  } catch {
    // runit does not report a refused reboot(2) (no CAP_SYS_BOOT, say); it goes on to the next step
  }
}

/** Reboots, powers off or halts; returns only when the kernel refused every request. */
export async function haltSystem(paths: RunitPaths): Promise<void> {
  if (isOwnerExecutable(paths.reboot)) {
    say(runitMessages.systemReboot);
    syncIfNeeded(paths);
    tryReboot(RB.AUTOBOOT);
    return;
  }
  say(runitMessages.powerOff);
  syncIfNeeded(paths);
  tryReboot(RB.POWER_OFF);
  await sleep(HALT_AFTER_POWER_OFF_MS);
  say(runitMessages.systemHalt);
  syncIfNeeded(paths);
  tryReboot(RB.HALT_SYSTEM);
}
