// Every line chpst and utmpset print, built in one place so the text stays byte-identical to runit's
// (2.3.0's where it changed since Debian's 2.1.2).
import { runitErrorText } from '@runit-ts/protocol';

export const CHPST_FATAL = 'chpst: fatal: ';
export const CHPST_WARNING = 'chpst: warning: ';
export const UTMPSET_FATAL = 'utmpset: fatal: ';
export const UTMPSET_WARNING = 'utmpset: warning: ';

/** The `-V` lines: runit 2.1.2's source identifiers, as its programs print them. */
export const CHPST_VERSION_ID = '$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $\n';
export const UTMPSET_VERSION_ID = '$Id: cb399098f794012a7f5e6a3a7090b2d53b86c08c $\n';

/** The synopsis of each usage line, keyed by the name chpst was called as. chpst's lists -C (runit 2.2.0). */
export const SYNOPSIS = {
  chpst:
    ' [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-C pwd] [-n nice]' +
    ' [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog',
  setuidgid: ' account child',
  envuidgid: ' account child',
  envdir: ' dir child',
  pgrphack: ' child',
  setlock: ' [ -nNxX ] file program [ arg ... ]',
  softlimit:
    ' [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes]' +
    ' [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child',
  utmpset: ' [-w] line',
} as const;

/** `usage: <name><synopsis>` followed by the empty line runit's usage messages end with. */
export const usageText = (name: string, synopsis: string): string => `usage: ${name}${synopsis}\n\n`;

/** What djb's getopt prints before the usage message when an option is wrong. */
export const optionProblemText = (name: string, option: string, missingArgument: boolean): string =>
  `${name}: ${missingArgument ? 'option requires an argument' : 'illegal option'} -- ${option}\n`;

/** `<prefix><parts joined by ": ">: <runit error text>` — runit's "die with system error" shape. */
export const systemErrorText = (prefix: string, parts: string[], error: unknown): string =>
  `${prefix}${[...parts, runitErrorText(error)].join(': ')}\n`;

/** `<prefix><parts joined by ": ">` without an error text. */
export const plainText = (prefix: string, parts: string[]): string => `${prefix}${parts.join(': ')}\n`;

export const chpstText = {
  unableToRun: (program: string, error: unknown) => systemErrorText(CHPST_FATAL, ['unable to run', program], error),
  switchDirectory: (dir: string, error: unknown) =>
    systemErrorText(CHPST_FATAL, ['unable to switch to directory', dir], error),
  openDirectory: (dir: string, error: unknown) => systemErrorText(CHPST_FATAL, ['unable to open directory', dir], error),
  readDirectory: (dir: string, error: unknown) => systemErrorText(CHPST_FATAL, ['unable to read directory', dir], error),
  readEnvFile: (dir: string, name: string, error: unknown) =>
    systemErrorText(CHPST_FATAL, [`unable to read ${dir}/${name}`], error),
  skipEnvSubdir: (dir: string, name: string, error: unknown) =>
    systemErrorText(CHPST_WARNING, [`unable to read ${dir}/${name}`], error),
  changeDirectory: (dir: string, error: unknown) =>
    systemErrorText(CHPST_FATAL, ['unable to change directory', dir], error),
  changeRoot: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to change root directory'], error),
  setNice: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to set nice level'], error),
  invalidIds: (ids: string) => plainText(CHPST_FATAL, ['invalid uid/gids', ids]),
  unknownUserGroup: (spec: string) => plainText(CHPST_FATAL, ['unknown user/group', spec]),
  unknownAccount: (name: string) => plainText(CHPST_FATAL, ['unknown account', name]),
  userGroupFile: (error: unknown) =>
    systemErrorText(CHPST_FATAL, ['unable to get password/group file entry'], error),
  passwordFile: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to get password file entry'], error),
  setgroups: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to setgroups'], error),
  setgid: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to setgid'], error),
  setuid: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to setuid'], error),
  openLock: (path: string, error: unknown) => systemErrorText(CHPST_FATAL, ['unable to open lock', path], error),
  lock: (path: string, error: unknown) => systemErrorText(CHPST_FATAL, ['unable to lock', path], error),
  closeStdio: (which: 'stdin' | 'stdout' | 'stderr', error: unknown) =>
    systemErrorText(CHPST_FATAL, [`unable to close ${which}`], error),
  getrlimit: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to getrlimit()'], error),
  setrlimit: (error: unknown) => systemErrorText(CHPST_FATAL, ['unable to setrlimit()'], error),
  internal: (error: unknown) =>
    plainText(CHPST_FATAL, ['internal error', error instanceof Error ? error.message : String(error)]),
};

export const utmpsetText = {
  open: (path: string, error: unknown) => systemErrorText(UTMPSET_FATAL, [`unable to open ${path}`], error),
  // runit puts a colon after "lock" for utmp but not for wtmp.
  lockUtmp: (path: string, error: unknown) => systemErrorText(UTMPSET_FATAL, ['unable to lock', path], error),
  lockWtmp: (path: string, error: unknown) => systemErrorText(UTMPSET_FATAL, [`unable to lock ${path}`], error),
  /** runit 2.3.0: a line longer than the record's field is refused before utmp is opened. */
  lineTooLong: (line: string) => plainText(UTMPSET_FATAL, [`unable to logout line ${line} in utmp`, 'name too long']),
  noUtmpEntry: (line: string) =>
    plainText(UTMPSET_WARNING, [`unable to logout line ${line} in utmp`, 'no such entry']),
  wtmpFailed: (line: string, error: unknown) =>
    systemErrorText(UTMPSET_WARNING, [`unable to logout line ${line} in wtmp`], error),
  internal: (error: unknown) =>
    plainText(UTMPSET_FATAL, ['internal error', error instanceof Error ? error.message : String(error)]),
};
