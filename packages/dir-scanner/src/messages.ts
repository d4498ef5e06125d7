// Every line runsvdir and runsvchdir print, byte for byte as runit 2.1.2 prints them, plus the few
// runit-ts adds (marked as such). `error` arguments are runit's error strings (runitErrorText).

export const RUNSVDIR_SYNOPSIS = ' [-P] dir';
export const RUNSVCHDIR_SYNOPSIS = ' dir';

/** `usage: <argv0><synopsis>` and the empty line runit's usage messages end with. */
export const usageText = (argv0: string, synopsis: string): string => `usage: ${argv0}${synopsis}\n\n`;

export const runsvchdirMessages = {
  startsWithDot: (argv0: string, dir: string) => `${argv0}: fatal: ${dir}: must not start with a dot.\n`,
  unableToChdir: (argv0: string, runsvdir: string, error: string) =>
    `${argv0}: fatal: unable to chdir: ${runsvdir}: ${error}\n`,
  missing: (argv0: string, dir: string, error: string) => `${argv0}: fatal: ${dir}: ${error}\n`,
  unableToStat: (argv0: string, name: string, error: string) => `${argv0}: fatal: unable to stat: ${name}: ${error}\n`,
  // runit prints no separator here: `runsvchdir: fatal: foonot a directory.`
  notADirectory: (argv0: string, dir: string) => `${argv0}: fatal: ${dir}not a directory.\n`,
  unableToUnlink: (argv0: string, name: string, error: string) =>
    `${argv0}: fatal: unable to unlink: ${name}: ${error}\n`,
  unableToCreate: (argv0: string, dir: string, error: string) =>
    `${argv0}: fatal: unable to create: current.new -> ${dir}: ${error}\n`,
  unableToCopy: (argv0: string, error: string) => `${argv0}: fatal: unable to copy: current to previous: ${error}\n`,
  unableToMove: (argv0: string, error: string) => `${argv0}: fatal: unable to move: current.new to current: ${error}\n`,
  unableToMoveBack: (argv0: string, error: string) =>
    `${argv0}: fatal: unable to move previous back to current: ${error}\n`,
  // These two go to stdout and always say `runsvchdir`, whatever argv[0] was.
  alreadyCurrent: (dir: string) => `runsvchdir: ${dir}: current.\n`,
  nowCurrent: (dir: string) => `runsvchdir: ${dir}: now current.\n`,
};

const warning = (svdir: string) => `runsvdir ${svdir}: warning: `;
const fatal = (svdir: string) => `runsvdir ${svdir}: fatal: `;

export const runsvdirMessages = {
  unableToStatDir: (svdir: string, error: string) => `${warning(svdir)}unable to stat ${svdir}: ${error}\n`,
  unableToChangeTo: (svdir: string, error: string) =>
    `${warning(svdir)}unable to change directory to ${svdir}: ${error}\n`,
  unableToOpenDir: (svdir: string, error: string) => `${warning(svdir)}unable to open directory ${svdir}: ${error}\n`,
  unableToReadDir: (svdir: string, error: string) => `${warning(svdir)}unable to read directory ${svdir}: ${error}\n`,
  unableToStatEntry: (svdir: string, name: string, error: string) =>
    `${warning(svdir)}unable to stat ${name}: ${error}\n`,
  tooManyServices: (svdir: string, name: string) =>
    `${warning(svdir)}unable to start runsv ${name}: too many services.\n`,
  unableToFork: (svdir: string, name: string, error: string) =>
    `${warning(svdir)}unable to fork for ${name}: ${error}\n`,
  unableToStartRunsv: (svdir: string, name: string, error: string) =>
    `${fatal(svdir)}unable to start runsv ${name}: ${error}\n`,
  logTooShort: (svdir: string) => `${warning(svdir)}log must have at least seven characters.\n`,
  logPipeFailed: (svdir: string) => `${warning(svdir)}unable to create pipe for log.\n`,
  logDisabled: (svdir: string) => `${warning(svdir)}log service disabled.\n`,
  unableToOpenCwd: (svdir: string, error: string) => `${fatal(svdir)}unable to open current directory: ${error}\n`,
  // runit-ts only.
  hostFailed: (svdir: string, what: string) => `${warning(svdir)}service host: ${what}\n`,
  internal: (svdir: string, what: string) => `${warning(svdir)}internal error, continuing: ${what}\n`,
};
