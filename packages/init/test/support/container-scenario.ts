// Building blocks of the container-mode scenarios: the container file, services under our runsvdir
// (or runit's), and the lines runit prints in container mode.
import { join } from 'node:path';
import { writeFiles } from './namespace.js';
import { script } from './scenario.js';

/** /etc/runit/container with these lines (not executable: only its existence and text matter). */
export const containerFile = (...lines: string[]) => ({ text: lines.map((l) => `${l}\n`).join(''), mode: 0o644 });

/** Stage 2: runsvdir -P over svdir, from bin (ours or runit's), with node on PATH for our commands. */
export const runsvdirStage = (bin: string, svdir: string): string =>
  script(`exec env - PATH=${bin}:/usr/local/bin:/usr/bin:/bin runsvdir -P ${svdir}`);

/** Stage 3 as a real one is written: stop every service, wait, then let each runsv exit. */
export const svStopStage = (bin: string, svdir: string, wait = 30): string =>
  script(`PATH=${bin}:$PATH`, `sv -w${wait} force-stop ${svdir}/*`, `sv exit ${svdir}/*`);

/**
 * A ./run that says `NAME: up` (once its background sleep exists) and, on TERM, `NAME: TERM`, then takes `stopSeconds` to stop and says
 * `NAME: stopped`. `wait` on a background sleep lets the trap run as soon as TERM arrives; the trap
 * ends that sleep, so the service leaves nothing behind.
 */
export const trapsTerm = (name: string, stopSeconds: number): string =>
  script(
    `trap 'echo "${name}: TERM"; sleep ${stopSeconds}; kill $sleeper 2>/dev/null; echo "${name}: stopped"; exit 0' TERM`,
    'sleep 100000 & sleeper=$!',
    `echo "${name}: up"`,
    'wait',
  );

/** A ./run whose TERM is ignored, by it and by the sleep it becomes (an ignored signal survives exec). */
export const ignoresTerm = (name: string): string => script("trap '' TERM", `echo "${name}: up"`, 'exec sleep 100000');

/** Writes svdir/NAME/run (and any other file) for each service. */
export function writeServices(svdir: string, services: Record<string, Record<string, string>>): void {
  for (const [name, files] of Object.entries(services)) writeFiles(join(svdir, name), files);
}

/**
 * The documented ./finish that records the service's code for the container (128 + n for signal n),
 * unless a code is there already: runsv restarts the service, and the stop's TERM to the new ./run
 * must not overwrite the code of the end that stopped the container.
 */
export const recordingFinish = script(
  'if [ "$1" = -1 ]; then code=$((128 + $2)); else code=$1; fi',
  '[ -e /run/runit/container-exit-code ] || echo "$code" > /run/runit/container-exit-code',
);

export const containerLine = {
  mode: (grace: number | string, main?: string) => `- runit: container mode: grace ${grace} s${main === undefined ? '' : `, main service ${main}`}.`,
  ignoredLine: (text: string) => `- runit: warning: /etc/runit/container: ignoring line: ${text}`,
  refused: '- runit: warning: /etc/runit/container ignored: not in a PID namespace (or no /proc to tell).',
  stopOnTerm: '- runit: SIGTERM: stopping the container...',
  mainEnded: (dir: string) => `- runit: main service ended: ${dir}`,
  stage1NotTerminated: '- runit: warning: stage 1 not terminated, sending sigkill...',
  graceOverBeforeStage3: '- runit: warning: grace over, skipping stage 3...',
  graceOverInStage3: '- runit: warning: grace over, stage 3 still running...',
  termAll: '- runit: sending TERM signal to all processes...',
  exitCodeIgnored: '- runit: warning: /run/runit/container-exit-code: not an exit code (0-255), ignored.',
  mainCodeUnknown: (code: number) => `- runit: warning: main service ended with no code in /run/runit/container-exit-code: exit ${code}.`,
  exit: (code: number) => `- runit: container exit code ${code}.`,
};
