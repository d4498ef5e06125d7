// Custom control handlers: control/<c>, when it exists with the owner-execute bit, runs instead of
// (or before) runsv's default action; "handled" means it exited 0.
import { statSync } from 'node:fs';
import type { ExitStatus } from '@runit-ts/native';
import { startChild, type ChildPlan } from './child-start.js';
import { CHILD, WARNING } from './messages.js';

export const handlerPath = (letter: string): string => `control/${letter}`;

/**
 * Whether control/<letter> exists with the owner-execute bit. A stat error other than ENOENT is
 * warned about and counts as no handler, as in runsv.
 */
export function handlerExists(path: string, letter: string, warn: (text: string, error?: unknown) => void): boolean {
  let mode: number | undefined;
  try {
    // u is looked up before every start: no exception for the usual missing handler
    mode = statSync(path, { throwIfNoEntry: false })?.mode;
  } catch (error) {
    warn(WARNING.statCustom(handlerPath(letter)), error);
    return false;
  }
  return mode !== undefined && (mode & 0o100) !== 0;
}

export interface HandlerReports {
  warn: (text: string, error?: unknown) => void;
  /** A line runit's forked child would print before exiting 111. */
  childFatal: (text: string, error?: unknown) => void;
}

/** Starts control/<letter> (cwd the service dir, stdout the log pipe if any): its pid, or undefined after reporting why not. */
export function startHandler(letter: string, child: Omit<ChildPlan, 'file' | 'argv'>, reports: HandlerReports): number | undefined {
  const relative = handlerPath(letter);
  const started = startChild({ ...child, file: relative, argv: [relative] });
  if ('forkError' in started) {
    reports.warn(WARNING.forkCustom(relative), started.forkError);
    return undefined;
  }
  if ('execError' in started) {
    reports.childFatal(CHILD.runCustom, started.execError);
    return undefined;
  }
  return started.pid;
}

/** runsv tests wstat>>8 only: a handler killed by a signal counts as successful. */
export const handled = (exit: ExitStatus): boolean => exit.status >> 8 === 0;
