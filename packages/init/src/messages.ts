// Every line runit and runit-init print, byte for byte as runit prints them (plus runit-ts's own few,
// marked as such).

export const RUNIT_ID = '$Id: runit-ts 0.1.0 $';

const INFO = '- runit: ';
const WARNING = '- runit: warning: ';
const FATAL = '- runit: fatal: ';

export const runitMessages = {
  notPid1: `${FATAL}must be run as process no 1.\n`,
  booting: `${INFO}${RUNIT_ID}: booting.\n`,
  enterStage: (path: string) => `${INFO}enter stage: ${path}\n`,
  leaveStage: (path: string) => `${INFO}leave stage: ${path}\n`,
  unableToStart: (path: string, error: string) => `${FATAL}unable to start child: ${path}: ${error}\n`,
  unableToFork: (path: string, error: string) => `${FATAL}unable to fork for "${path}" pausing: ${error}\n`,
  unableToOpenConsole: (error: string) => `${WARNING}unable to open /dev/console: ${error}\n`,
  childCrashed: (path: string) => `${WARNING}child crashed: ${path}\n`,
  childFailed: (path: string) => `${WARNING}child failed: ${path}\n`,
  skippingStage2: `${WARNING}skipping stage 2...\n`,
  killingStage2: `${WARNING}killing all processes in stage 2...\n`,
  restarting: `${WARNING}restarting.\n`,
  signalsOnlyInStage2: `${WARNING}signals only work in stage 2.\n`,
  ctrlAltDel: `${INFO}ctrl-alt-del request...\n`,
  stage2NotTerminated: `${WARNING}stage 2 not terminated, sending sigkill...\n`,
  killingAll: `${INFO}sending KILL signal to all processes...\n`,
  systemReboot: `${INFO}system reboot.\n`,
  powerOff: `${INFO}power off...\n`,
  systemHalt: `${INFO}system halt.\n`,
  // runit-ts only: an exception PID 1 survived, and the SIGUSR1 report.
  internalError: (what: string) => `${WARNING}internal error, continuing: ${what}\n`,
  report: (stage: string, orphans: number, rssKiB: number) =>
    `${INFO}report: stage ${stage}, ${orphans} orphans reaped, rss ${rssKiB} kB.\n`,
  // runit-ts only: container mode (docs/commands/runit.md#container-mode).
  containerMode: (graceSeconds: number, main: string | undefined) =>
    `${INFO}container mode: grace ${graceSeconds} s${main === undefined ? '' : `, main service ${main}`}.\n`,
  containerLineIgnored: (file: string, line: string) => `${WARNING}${file}: ignoring line: ${line}\n`,
  containerRefused: (file: string) => `${WARNING}${file} ignored: not in a PID namespace (or no /proc to tell).\n`,
  stopOnTerm: `${INFO}SIGTERM: stopping the container...\n`,
  mainServiceEnded: (dir: string) => `${INFO}main service ended: ${dir}\n`,
  stage1NotTerminated: `${WARNING}stage 1 not terminated, sending sigkill...\n`,
  graceOverBeforeStage3: `${WARNING}grace over, skipping stage 3...\n`,
  graceOverInStage3: `${WARNING}grace over, stage 3 still running...\n`,
  termAll: `${INFO}sending TERM signal to all processes...\n`,
  exitCodeIgnored: (file: string) => `${WARNING}${file}: not an exit code (0-255), ignored.\n`,
  mainCodeUnknown: (file: string, code: number) => `${WARNING}main service ended with no code in ${file}: exit ${code}.\n`,
  containerExit: (code: number) => `${INFO}container exit code ${code}.\n`,
};

/** runit-ts only: `runit --help` (runit itself takes no arguments and has no usage message). */
export const RUNIT_USAGE = 'usage: runit  (process no 1 only: started by the kernel, or by runit-init)';

/** runit-ts only: the halt helper started by hand. */
export const haltHelperMessages = {
  notFromRunit: 'runit-halt: fatal: only runit, as process no 1, starts this helper.\n',
};

const INIT_FATAL = 'init: fatal: ';

export const runitInitMessages = {
  usage: (argv0: string) => `usage: ${argv0} 0|6\n\n`,
  // runit's strerr_warn adds a newline to a text that already ends in one: an empty line follows.
  version: `${RUNIT_ID}\n\n`,
  unableToCreate: (path: string, error: string) => `${INIT_FATAL}unable to create ${path}: ${error}\n`,
  unableToChmod: (path: string, error: string) => `${INIT_FATAL}unable to chmod ${path}: ${error}\n`,
  unableToStartRunit: (error: string) => `${INIT_FATAL}unable to start runit: ${error}\n`,
};
