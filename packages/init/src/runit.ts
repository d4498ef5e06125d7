// runit as PID 1: take the console, listen to the signals that matter, reap every orphan, run the
// three stages, then end the system (in container mode: exit with the container's code).
import { writeSync } from 'node:fs';
import { RB, envArray, reaper, reboot, setsid } from '@runit-ts/native';
import { attachConsole, regetStderr, say } from './console.js';
import { endContainer } from './container-end.js';
import { type ContainerMode, readContainerMode } from './container-settings.js';
import { ContainerStop } from './container-stop.js';
import { prepareExitCodeFile } from './exit-code-file.js';
import { EXIT_FATAL } from './exit.js';
import { surviveErrors } from './guard.js';
import { MainRunJudge, MainServiceWatch } from './main-service.js';
import { runitMessages } from './messages.js';
import { nodeBinary } from './node-binary.js';
import { type RunitPaths, runitPaths } from './paths.js';
import { shutdown } from './shutdown.js';
import { LOOP_TIMEOUT_MS, Stages } from './stages.js';
import { Wakeup } from './wakeup.js';

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

/** Container mode at boot: its settings on the console, the exit-code file cleared, the main service watched. */
function startContainerMode(mode: ContainerMode, paths: RunitPaths, stages: Stages): MainServiceWatch | undefined {
  if (mode.kind === 'refused') say(runitMessages.containerRefused(paths.container));
  if (mode.kind !== 'on') return undefined;
  for (const line of mode.ignored) say(runitMessages.containerLineIgnored(paths.container, line));
  say(runitMessages.containerMode(mode.settings.graceMs / 1000, mode.settings.main));
  prepareExitCodeFile();
  const dir = mode.settings.main;
  if (dir === undefined) return undefined;
  const watch = new MainServiceWatch(dir, new MainRunJudge(Date.now()), () => stages.mainServiceEnded(dir));
  watch.attach();
  return watch;
}

/**
 * Runs runit; returns the exit code when not PID 1 (111) and, in container mode, the container's code
 * at its end; otherwise never settles while PID 1 lives.
 */
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
  const mode = readContainerMode(paths.container);
  const container = mode.kind === 'on' ? new ContainerStop(mode.settings.graceMs) : undefined;
  const wakeup = new Wakeup();
  const stages = new Stages(paths, env, wakeup, container);

  ignoreErrors(() => setsid());
  reaper.start();
  stages.requests.install(container !== undefined);
  attachConsole();
  // Ctrl-Alt-Del then sends SIGINT to PID 1 instead of rebooting at once.
  ignoreErrors(() => reboot(RB.DISABLE_CAD));
  let main: MainServiceWatch | undefined;
  // The handle that keeps PID 1's loop alive for ever; each tick also reaps, in case a SIGCHLD was
  // merged away, and re-gets the console.
  const tick = setInterval(() => {
    reaper.reap();
    regetStderr();
    main?.attach();
  }, LOOP_TIMEOUT_MS);
  say(runitMessages.booting);
  main = startContainerMode(mode, paths, stages);

  await stages.run();
  if (!container) {
    await shutdown(paths, env, node);
    return new Promise<number>(() => {});
  }
  main?.close();
  const code = await endContainer(container, paths, wakeup, LOOP_TIMEOUT_MS);
  clearInterval(tick);
  return code;
}
