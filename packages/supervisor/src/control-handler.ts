// Custom control handlers: control/<c>, when it exists with the owner-execute bit, runs instead of
// (or before) runsv's default action; "handled" means it exited 0.
import { statSync } from 'node:fs';
import type { ExitStatus } from '@runit-ts/native';
import { startChild, type ChildPlan } from './child-start.js';
import { CHILD, WARNING, withError } from './messages.js';

export interface HandlerSetup {
  /** The path of control/<c> as the supervisor reaches it. */
  path: (relative: string) => string;
  /** Where the handler runs, and with what: cwd is the service dir, stdout the log pipe if any. */
  child: Omit<ChildPlan, 'file' | 'argv'>;
  warn: (text: string) => void;
  /** A line runit's forked child would print before exiting 111. */
  childFatal: (text: string) => void;
  waitExit: (pid: number) => Promise<ExitStatus>;
  /** Called once the handler is known to exist and be executable, before it is started. */
  beforeRun?: () => void;
}

/** Runs control/<letter> and waits for it; true when it handled the byte. */
export async function runControlHandler(letter: string, setup: HandlerSetup): Promise<boolean> {
  const relative = `control/${letter}`;
  let mode: number | undefined;
  try {
    // u is looked up before every start: no exception for the usual missing handler
    mode = statSync(setup.path(relative), { throwIfNoEntry: false })?.mode;
  } catch (error) {
    setup.warn(withError(WARNING.statCustom(relative), error));
    return false;
  }
  if (mode === undefined || (mode & 0o100) === 0) return false;
  setup.beforeRun?.();
  const started = startChild({ ...setup.child, file: relative, argv: [relative] });
  if ('forkError' in started) {
    setup.warn(withError(WARNING.forkCustom(relative), started.forkError));
    return false;
  }
  if ('execError' in started) {
    setup.childFatal(withError(CHILD.runCustom, started.execError));
    return false;
  }
  const exit = await setup.waitExit(started.pid);
  // runsv tests wstat>>8 only: a handler killed by a signal counts as successful
  return exit.status >> 8 === 0;
}
