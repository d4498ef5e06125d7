// runsvchdir: runit's runlevel switch, swapping the `current` symlink of the link farm (and `previous`).
import { renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { runitErrorText } from '@runit-ts/protocol';
import { EXIT_FATAL, EXIT_OK, EXIT_USAGE } from './exit.js';
import { RUNSVCHDIR_SYNOPSIS, runsvchdirMessages as M, usageText } from './messages.js';

/** Where runit keeps the runlevels; RUNSVDIR overrides it, as runit 2.3.0 allows. */
export const DEFAULT_RUNSVDIR = '/etc/runit/runsvdir';

export interface RunsvchdirOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

class Fatal extends Error {}

const text = (error: unknown): string => runitErrorText(error as NodeJS.ErrnoException);
const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Makes `level` the current runlevel: `<runsvdir>/current` becomes a symlink to it (the text as
 * given, so relative names stay relative to runsvdir) and the old `current` becomes `previous`.
 */
export function runsvchdir(args: readonly string[], argv0 = 'runsvchdir', env = process.env): RunsvchdirOutcome {
  const level = args[0];
  if (level === undefined) return { code: EXIT_USAGE, stdout: '', stderr: usageText(argv0, RUNSVCHDIR_SYNOPSIS) };
  const runsvdir = env.RUNSVDIR || DEFAULT_RUNSVDIR;
  let stderr = '';
  const fail = (line: string): never => {
    stderr += line;
    throw new Fatal(line);
  };
  const attempt = <T>(step: () => T, message: (error: string) => string): T => {
    try {
      return step();
    } catch (error) {
      return fail(message(text(error)));
    }
  };
  try {
    if (level.startsWith('.')) fail(M.startsWithDot(argv0, level));
    const base = resolve(runsvdir);
    attempt(() => enterable(base), (e) => M.unableToChdir(argv0, runsvdir, e));
    // stat("") fails with ENOENT in C; resolve() would turn it into the base itself.
    const inBase = (name: string) => (name === '' ? '' : resolve(base, name));
    let target;
    try {
      target = statSync(inBase(level), { bigint: true });
    } catch (error) {
      fail(isMissing(error) ? M.missing(argv0, level, text(error)) : M.unableToStat(argv0, level, text(error)));
    }
    if (!target!.isDirectory()) fail(M.notADirectory(argv0, level));
    const current = attempt(() => statSync(inBase('current'), { bigint: true }), (e) => M.unableToStat(argv0, 'current', e));
    if (current.dev === target!.dev && current.ino === target!.ino) {
      return { code: EXIT_OK, stdout: M.alreadyCurrent(level), stderr };
    }
    attempt(() => unlinkUnlessMissing(inBase('current.new')), (e) => M.unableToUnlink(argv0, 'current.new', e));
    attempt(() => symlinkSync(level, inBase('current.new')), (e) => M.unableToCreate(argv0, level, e));
    attempt(() => unlinkUnlessMissing(inBase('previous')), (e) => M.unableToUnlink(argv0, 'previous', e));
    attempt(() => renameSync(inBase('current'), inBase('previous')), (e) => M.unableToCopy(argv0, e));
    try {
      renameSync(inBase('current.new'), inBase('current'));
    } catch (error) {
      stderr += M.unableToMove(argv0, text(error));
      attempt(() => renameSync(inBase('previous'), inBase('current')), (e) => M.unableToMoveBack(argv0, e));
      return { code: EXIT_FATAL, stdout: '', stderr };
    }
    return { code: EXIT_OK, stdout: M.nowCurrent(level), stderr };
  } catch (error) {
    if (error instanceof Fatal) return { code: EXIT_FATAL, stdout: '', stderr };
    throw error;
  }
}

/** What chdir(2) would refuse: a missing path or one that is not a directory. */
function enterable(path: string): void {
  if (!statSync(path).isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, chdir '${path}'`), { code: 'ENOTDIR' });
  }
}

function unlinkUnlessMissing(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
