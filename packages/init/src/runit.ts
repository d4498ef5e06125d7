// runit as PID 1: take the console, listen to the signals that matter, reap every orphan, run the
// three stages, then end the system.
import { writeSync } from 'node:fs';
import { RB, envArray, reaper, reboot, setsid } from '@runit-ts/native';
import { attachConsole, regetStderr, say } from './console.js';
import { EXIT_FATAL } from './exit.js';
import { surviveErrors } from './guard.js';
import { runitMessages } from './messages.js';
import { nodeBinary } from './node-binary.js';
import { type RunitPaths, runitPaths } from './paths.js';
import { shutdown } from './shutdown.js';
import { LOOP_TIMEOUT_MS, Stages } from './stages.js';

export interface RunitOptions {
  paths?: RunitPaths;
  /** Environment for the stages; runit's own by default. */
  env?: NodeJS.ProcessEnv;
}

function ignoreErrors(action: () => void): void {
  try {
    action();
  } catch {
    // as runit: setsid() and reboot(RB_DISABLE_CAD) may fail (already a leader, in a container)
  }
}

/** Runs runit; returns the exit code when not PID 1 (111), else never settles while PID 1 lives. */
export async function runRunit(options: RunitOptions = {}): Promise<number> {
  if (process.pid !== 1) {
    writeSync(2, runitMessages.notPid1);
    return EXIT_FATAL;
  }
  surviveErrors();
  const paths = options.paths ?? runitPaths();
  const env = envArray(options.env ?? process.env);
  // Now, while argv[0] and PATH are those runit was started with (stage 3 may unmount /proc).
  const node = nodeBinary();
  const stages = new Stages(paths, env);

  ignoreErrors(() => setsid());
  reaper.start();
  stages.requests.install();
  attachConsole();
  // Ctrl-Alt-Del then sends SIGINT to PID 1 instead of rebooting at once.
  ignoreErrors(() => reboot(RB.DISABLE_CAD));
  // The handle that keeps PID 1's loop alive for ever; each tick also reaps, in case a SIGCHLD was
  // merged away, and re-gets the console.
  setInterval(() => {
    reaper.reap();
    regetStderr();
  }, LOOP_TIMEOUT_MS);
  say(runitMessages.booting);

  await stages.run();
  await shutdown(paths, env, node);
  return new Promise<number>(() => {});
}
