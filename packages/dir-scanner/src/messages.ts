// Every line runsvdir and runsvchdir print, byte for byte as runit 2.1.2 prints them, plus the few
// runit-ts adds (marked as such). runsvchdir's `error` arguments are runit's error strings
// (runitErrorText); runsvdir's lines are Diagnostic data, formatted by the one sink.
import type { Diagnostic } from '@runit-ts/supervisor';


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

const warning = (svdir: string, text: string, error?: unknown): Diagnostic => ({
  level: 'warning',
  program: 'runsvdir',
  subject: svdir,
  text,
  ...(error === undefined ? {} : { error }),
});
const fatal = (svdir: string, text: string, error?: unknown): Diagnostic => ({ ...warning(svdir, text, error), level: 'fatal' });

/** runsvdir's own warnings and fatal lines, as data (`runsvdir <svdir>: <level>: <text>[: <error>]`). */
export const runsvdirMessages = {
  unableToStatDir: (svdir: string, error: unknown) => warning(svdir, `unable to stat ${svdir}`, error),
  unableToChangeTo: (svdir: string, error: unknown) => warning(svdir, `unable to change directory to ${svdir}`, error),
  unableToOpenDir: (svdir: string, error: unknown) => warning(svdir, `unable to open directory ${svdir}`, error),
  unableToReadDir: (svdir: string, error: unknown) => warning(svdir, `unable to read directory ${svdir}`, error),
  unableToStatEntry: (svdir: string, name: string, error: unknown) => warning(svdir, `unable to stat ${name}`, error),
  tooManyServices: (svdir: string, name: string) => warning(svdir, `unable to start runsv ${name}: too many services.`),
  unableToFork: (svdir: string, name: string, error: unknown) => warning(svdir, `unable to fork for ${name}`, error),
  unableToStartRunsv: (svdir: string, name: string, error: unknown) => fatal(svdir, `unable to start runsv ${name}`, error),
  logTooShort: (svdir: string) => warning(svdir, 'log must have at least seven characters.'),
  logPipeFailed: (svdir: string) => warning(svdir, 'unable to create pipe for log.'),
  logDisabled: (svdir: string) => warning(svdir, 'log service disabled.'),
  unableToOpenCwd: (svdir: string, error: unknown) => fatal(svdir, 'unable to open current directory', error),
  // runit-ts only.
  httpBadSetting: (svdir: string, value: string) => fatal(svdir, `RUNIT_TS_HTTP is not PORT or ADDRESS:PORT (ADDRESS an IP address): ${value}`),
  httpUnableToLoad: (svdir: string, error: unknown) => fatal(svdir, 'unable to load the HTTP endpoint', error),
  httpUnableToListen: (svdir: string, where: string, error: unknown) => fatal(svdir, `unable to listen on ${where}`, error),
  hostFailed: (svdir: string, what: string) => warning(svdir, `service host: ${what}`),
  noRoomInHost: (svdir: string, name: string) => warning(svdir, `service host: no file descriptors left for ${name}: starting runsv ${name}`),
  fdHolderFailed: (svdir: string, why: string) =>
    warning(svdir, `unable to start runit-ts-fdholder: ${why}: log pipes now have no reader if runsvdir and the service host die together`),
  internal: (svdir: string, what: string) => warning(svdir, `internal error, continuing: ${what}`),
};

/** The service host's own lines about a service, named as runsv names it (runit-ts only). */
export const serviceHostMessages = {
  hostedLogIgnored: (name: string, why: string): Diagnostic => ({ level: 'warning', program: 'runsv', subject: name, text: `hosted-log ignored: ${why}` }),
  /** The log dirs or the pipe could not be opened: a system call's error, or the logger's own. */
  hostedLogFailed: (name: string, error: unknown): Diagnostic =>
    typeof (error as NodeJS.ErrnoException)?.code === 'string'
      ? { level: 'warning', program: 'runsv', subject: name, text: 'hosted-log ignored: unable to open it', error }
      : { level: 'warning', program: 'runsv', subject: name, text: `hosted-log ignored: ${error instanceof Error ? error.message : String(error)}` },
  /** The host's fds have run out: the start of a service with a hosted log waits. */
  waitingForFds: (name: string, error: unknown): Diagnostic => ({ level: 'warning', program: 'runsv', subject: name, text: 'waiting a second for file descriptors', error }),
  notStarted: (name: string, error: unknown): Diagnostic => ({
    level: 'fatal',
    program: 'runsv',
    subject: name,
    text: `internal error: ${error instanceof Error ? error.message : String(error)}`,
  }),
};
