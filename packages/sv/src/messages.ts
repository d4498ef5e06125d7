// Every text sv prints, byte for byte as runit 2.1.2's sv prints it (and our few additions).

export const USAGE_SV = ' [-v] [-w sec] command service ...';
export const USAGE_LSB = ' [-w sec] command';

/** The usage message: the synopsis line, then an empty line (runit's synopsis string ends in \n). */
export const usage = (progname: string, lsb: boolean): string =>
  `usage: ${progname}${lsb ? USAGE_LSB : USAGE_SV}\n\n`;

/** What -V prints before the usage message; runit prints the git blob id of its sv.c here. */
export const VERSION_LINE = '$Id: runit-ts-sv-0.1.0 $\n';

export const illegalOption = (progname: string, option: string): string =>
  `${progname}: illegal option -- ${option}\n`;
export const missingArgument = (progname: string, option: string): string =>
  `${progname}: option requires an argument -- ${option}\n`;

/** Line prefixes: fatal goes to stderr, the others to stdout. */
export const FATAL = 'fatal: ';
export const FAIL = 'fail: ';
export const WARNING = 'warning: ';
export const OK = 'ok: ';
export const TIMEOUT = 'timeout: ';
export const KILL = 'kill: ';

/** The per-service reasons that follow `fail: NAME: ` / `warning: NAME: ` / `ok: NAME: `. */
export const REASON = {
  changeToService: 'unable to change to service directory',
  notRunning: 'runsv not running',
  openOk: 'unable to open supervise/ok',
  openStatus: 'unable to open supervise/status',
  readStatus: 'unable to read supervise/status',
  badFormat: 'unable to read supervise/status: bad format',
  openControl: 'unable to open supervise/control',
  writeControl: 'unable to write to supervise/control',
  changeToLog: 'unable to change directory',
} as const;

/** runit-ts only: a service waited for (`sv -w … up`) went down for good meanwhile. */
export const failedWhileWaiting = (reason: string): string => `failed while waited for: ${reason}`;

export type Reason = (typeof REASON)[keyof typeof REASON];

/** `PREFIX NAME[/log]: REASON[: ERROR]` and a newline. */
export const serviceLine = (prefix: string, name: string, isLog: boolean, reason: string, error?: string): string =>
  `${prefix}${name}${isLog ? '/log' : ''}: ${reason}${error === undefined ? '' : `: ${error}`}\n`;

export const fatalLine = (what: string, error: string): string => `${FATAL}${what}: ${error}\n`;
export const FATAL_OPEN_CWD = 'unable to open current directory';

/** stderr warnings about a file inside the service dir (`down`, `check`); NAME is as typed. */
export const cannotStat = (name: string, file: string, error: string): string =>
  `${WARNING}unable to stat ${name}/${file}: ${error}\n`;
export const cannotRunCheck = (name: string, error: string): string =>
  `${WARNING}unable to run ${name}/check: ${error}\n`;

/** Status line pieces, in runit's order. */
export const STATE_WORD: Readonly<Record<'down' | 'run' | 'finish', string>> = { down: 'down: ', run: 'run: ', finish: 'finish: ' };
export const NORMALLY_DOWN = ', normally down';
export const NORMALLY_UP = ', normally up';
export const PAUSED = ', paused';
export const WANT_UP = ', want up';
export const WANT_DOWN = ', want down';
export const GOT_TERM = ', got TERM';
/** runit-ts only, for a service whose supervisor keeps supervise/extra.json (docs/readiness-and-restarts.md). */
export const READY = ', ready';
export const NOT_READY = ', not ready';
export const failedNote = (reason: string): string => `, failed (${reason})`;
export const needsNote = (names: readonly string[]): string => `, needs ${names.join(' ')}`;
export const LOG_SEPARATOR = '; ';
export const LOG_NAME = 'log';
