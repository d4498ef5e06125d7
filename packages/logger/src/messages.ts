// Every line svlogd can print, as data: runit's exact wording (docs/runit-behaviour.md §5), built
// in one place.
import { basename } from 'node:path';
import { runitErrorText } from '@runit-ts/protocol';
import type { ArgumentProblem } from './arguments.js';

export const FATAL = 'svlogd: fatal: ';
export const WARNING = 'svlogd: warning: ';
export const PAUSE = 'svlogd: pausing: ';
export const INFO = 'svlogd: info: ';

export const SYNOPSIS = ' [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...';
/** The `$Id$` line runit 2.1.2's svlogd prints for -V (its source file's id, kept for golden checks). */
export const VERSION_LINE = '$Id: 5e55a90e0a1b35ec47fed3021453c50675ea1117 $\n';

export const usage = (argv0: string): string => `usage: ${argv0}${SYNOPSIS}\n\n`;
/** getopt's complaints name the program by its basename. */
export const illegalOption = (program: string, option: string): string => `${program}: illegal option -- ${option}\n`;
export const missingArgument = (program: string, option: string): string =>
  `${program}: option requires an argument -- ${option}\n`;

/** What the svlogd command prints for a command line it refuses, before it exits 111. */
export function refusal(problem: ArgumentProblem, argv0: string): string {
  const program = basename(argv0).replace(/\.c?js$/, '');
  if (problem.kind === 'version') return VERSION_LINE + usage(argv0);
  if (problem.kind === 'illegal-option') return illegalOption(program, problem.option) + usage(argv0);
  if (problem.kind === 'missing-argument') return missingArgument(program, problem.option) + usage(argv0);
  return usage(argv0);
}

/** The same refusal in a few words, where there is no usage line to print (a hosted log's warning). */
export function problemText(problem: ArgumentProblem): string {
  switch (problem.kind) {
    case 'version':
      return 'option -V prints a version, not a log';
    case 'illegal-option':
      return `unknown option -${problem.option}`;
    case 'missing-argument':
      return `option -${problem.option} needs a value`;
    case 'bad-replacement':
      return `option -r needs one character, got ${JSON.stringify(problem.value)}`;
    case 'no-dirs':
      return 'no log directory given';
    case 'buffer-too-small':
      return `option -b (${problem.bufferLength}) must be greater than -l (${problem.lineMax})`;
  }
}

/** `svlogd: <kind>message: <dir>: <error text>`, the shape of most of svlogd's diagnostics. */
export const withError = (kind: string, message: string, subject: string | undefined, error: unknown): string =>
  `${kind}${message}: ${subject === undefined ? '' : `${subject}: `}${runitErrorText(error)}\n`;

export const fatalNoDirs = `${FATAL}no functional log directories.\n`;
export const fatalNoMemory = `${FATAL}out of memory.\n`;
export const fatalCwd = (error: unknown): string => withError(FATAL, 'unable to open current working directory', undefined, error);

export const warn = (message: string, subject: string, error: unknown): string => withError(WARNING, message, subject, error);
export const warnText = (message: string, detail: string): string => `${WARNING}${message}: ${detail}\n`;
export const pausing = (message: string, dir: string, error: unknown): string => withError(PAUSE, message, dir, error);
export const info = (text: string): string => `${INFO}${text}\n`;

// Warnings about a log dir, its files and its processor.
export const OPEN_DIR = 'unable to open log directory';
export const CHANGE_DIR = 'unable to change directory';
export const LOCK_DIR = 'unable to lock directory';
export const READ_CONFIG = 'unable to read config';
export const STAT_CURRENT = 'unable to stat current';
export const READ_DIR = 'unable to read directory';
export const UNLINK_LEFTOVER = 'unable to unlink processor leftover';
export const UNLINK_OLDEST = 'unable to unlink oldest logfile';
export const READ_STDIN = 'unable to read standard input';
export const processorFailed = (dir: string): string => warnText('processor failed, restart', dir);
export const unlinkFailed = (dir: string, file: string): string => `${WARNING}unable to unlink: ${dir}/${file}\n`;
export const diskFullDelete = (dir: string, file: string): string => `${WARNING}out of disk space, delete: ${dir}/${file}\n`;

// Operations svlogd pauses on (3 s, then retries).
export const OPEN_CURRENT = 'unable to open current';
export const WRITE_CURRENT = 'unable to write to current';
export const FSYNC_CURRENT = 'unable to fsync current logfile';
export const MODE_CURRENT = 'unable to set mode of current';
export const RENAME_CURRENT = 'unable to rename current';
export const CREATE_CURRENT = 'unable to create new current';
export const PICK_NAME = 'unable to open directory, want rotate';
export const OPEN_DIR_FOR_SPACE = 'unable to open directory, want remove old logfile';
export const START_PROCESSOR = 'unable to fork for processor';
export const PROCESSOR_INPUT = 'unable to open input for processor';
export const PROCESSOR_OUTPUT = 'unable to open output for processor';
export const PROCESSOR_STATE = 'unable to open state for processor';
export const PROCESSOR_NEWSTATE = 'unable to open newstate for processor';
export const RENAME_PROCESSED = 'unable to rename processed';
export const MODE_PROCESSED = 'unable to set mode of processed';
export const RENAME_STATE = 'unable to rename state';

// -v
export const infoRead = (dir: string): string => info(`read: ${dir}/config`);
export const infoNew = (dir: string): string => info(`new: ${dir}/current`);
export const infoAppend = (dir: string): string => info(`append: ${dir}/current`);
export const infoClose = (dir: string): string => info(`close: ${dir}`);
export const infoRename = (dir: string, name: string, size: number): string => info(`rename: ${dir}/current ${name} ${size}`);
export const infoDelete = (dir: string, name: string): string => info(`delete: ${dir}/${name}`);
export const infoProcessing = (dir: string, name: string): string => info(`processing: ${dir}/${name}`);
export const infoProcessed = (dir: string, name: string): string => info(`processed: ${dir}/${name}`);
export const infoSignal = {
  SIGTERM: info('sigterm received.'),
  SIGCHLD: info('sigchild received.'),
  SIGALRM: info('sigalarm received.'),
  SIGHUP: info('sighangup received.'),
} as const;

// Notes written into current itself by a dir with a UDP target.
export const UDP_NO_SOCKET = 'warning: no udp socket available: ';
export const UDP_SEND_FAILED = 'warning: failure sending through udp: ';
