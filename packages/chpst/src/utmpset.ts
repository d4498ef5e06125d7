// utmpset: marks a terminal line's utmp entry logged out in place (under flock) and, with -w,
// appends a logout record to wtmp. The file paths can be moved for tests (UTMPSET_UTMP/UTMPSET_WTMP).
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { lockExclusive } from '@runit-ts/native';
import { EXIT_FATAL, UTMPSET_EXIT_USAGE } from './exit.js';
import { OptionScanner } from './getopt.js';
import { SYNOPSIS, UTMPSET_VERSION_ID, optionProblemText, usageText, utmpsetText } from './messages.js';
import { Exit, reportEnd } from './outcome.js';
import { UTMP_FIELD, UTMP_RECORD_SIZE, hasUser, lineMatches, logoutRecord, markLoggedOut } from './utmp-record.js';

/** glibc's _PATH_UTMP and _PATH_WTMP, the files runit's utmpset is built with. */
export const DEFAULT_UTMP = '/var/run/utmp';
export const DEFAULT_WTMP = '/var/log/wtmp';

export interface UtmpPaths {
  utmp: string;
  wtmp: string;
}

/** The files to work on: UTMPSET_UTMP and UTMPSET_WTMP override the system's. */
export function utmpPaths(env: NodeJS.ProcessEnv = process.env): UtmpPaths {
  return { utmp: env.UTMPSET_UTMP || DEFAULT_UTMP, wtmp: env.UTMPSET_WTMP || DEFAULT_WTMP };
}

const nowSeconds = (): number => Date.now() / 1000;

/** Opens path (mode 0600 if created) and waits for its flock; throws runit's fatal Exit on failure. */
function openLocked(path: string, flags: number, lockText: (path: string, error: unknown) => string): number {
  let fd: number;
  try {
    fd = openSync(path, flags, 0o600);
  } catch (error) {
    throw new Exit(EXIT_FATAL, utmpsetText.open(path, error));
  }
  try {
    lockExclusive(fd);
  } catch (error) {
    closeSync(fd);
    throw new Exit(EXIT_FATAL, lockText(path, error));
  }
  return fd;
}

/**
 * Finds the first record with a user and this line, marks it logged out and writes it back.
 * False when there is none, or when reading or writing failed part way (runit reports both alike).
 */
export function utmpLogout(path: string, line: string, now = nowSeconds()): boolean {
  const fd = openLocked(path, constants.O_RDWR, utmpsetText.lockUtmp);
  try {
    const wanted = Buffer.from(line);
    const record = Buffer.alloc(UTMP_RECORD_SIZE);
    for (let offset = 0; ; offset += UTMP_RECORD_SIZE) {
      if (readSync(fd, record, 0, UTMP_RECORD_SIZE, offset) !== UTMP_RECORD_SIZE) return false;
      if (!hasUser(record) || !lineMatches(record, wanted)) continue;
      markLoggedOut(record, now);
      return writeSync(fd, record, 0, UTMP_RECORD_SIZE, offset) === UTMP_RECORD_SIZE;
    }
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Appends a logout record for line; a short write is cut off again. Throws Exit on failure. */
export function wtmpLogout(path: string, line: string, now = nowSeconds()): void {
  const append = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_APPEND | constants.O_CREAT;
  const fd = openLocked(path, append, utmpsetText.lockWtmp);
  try {
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (error) {
      throw new Exit(EXIT_FATAL, utmpsetText.wtmpFailed(line, error));
    }
    const record = logoutRecord(Buffer.from(line), now);
    let failure: unknown;
    try {
      const written = writeSync(fd, record);
      if (written !== record.length) failure = Object.assign(new Error('short write'), { code: 'ENOSPC' });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) {
      try {
        ftruncateSync(fd, size);
      } catch {
        // runit ignores this too
      }
      throw new Exit(EXIT_FATAL, utmpsetText.wtmpFailed(line, failure));
    }
  } finally {
    closeSync(fd);
  }
}

function usage(name: string, before = ''): Exit {
  return new Exit(UTMPSET_EXIT_USAGE, before + usageText(name, SYNOPSIS.utmpset));
}

/** utmpset [-w] line. argv[0] is the name it was called by. Returns the exit code. */
export function utmpsetMain(argv: readonly string[], paths: UtmpPaths = utmpPaths()): number {
  const name = basename(argv[0] ?? 'utmpset').replace(/\.cjs$/, '');
  try {
    const scanner = new OptionScanner(argv, 'wV');
    let wtmp = false;
    for (let step = scanner.next(); step.kind !== 'done'; step = scanner.next()) {
      if (step.kind === 'problem') throw usage(name, optionProblemText(name, step.option, step.missingArgument));
      if (step.option === 'V') throw usage(name, UTMPSET_VERSION_ID);
      wtmp = true;
    }
    const line = argv[scanner.index];
    if (line === undefined) throw usage(name);
    if (Buffer.byteLength(line) > UTMP_FIELD.line.size) throw new Exit(EXIT_FATAL, utmpsetText.lineTooLong(line));
    if (!utmpLogout(paths.utmp, line)) throw new Exit(EXIT_FATAL, utmpsetText.noUtmpEntry(line));
    if (wtmp) wtmpLogout(paths.wtmp, line);
    return 0;
  } catch (error) {
    return reportEnd(error, utmpsetText.internal);
  }
}
