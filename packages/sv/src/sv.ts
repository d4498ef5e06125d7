// sv's main line: parse, act on each service, then wait for the wanted states (runit's sv.c main).
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { forKernel } from '@runit-ts/native';
import { EXTRA_STATUS_FILE, runitErrorText } from '@runit-ts/protocol';
import { planFor, type Plan } from './commands.js';
import * as exit from './exit.js';
import * as text from './messages.js';
import { parseCommandLine, type Invocation } from './options.js';
import { flush, writeStderr } from './output.js';
import { ServiceChanges } from './service-changes.js';
import { errorCode, locateForCommand, locateWhileWaiting } from './service-path.js';
import { Session, type StatusOutcome, type Target } from './session.js';
import { readStatusReport } from './status-reader.js';

/** runit's pause between two looks at the services it waits for. */
export const WAIT_ROUND_MS = 420;

/**
 * Runs sv and resolves with its exit code. `invokedAs` is the path it was started as (its basename
 * picks sv or LSB mode), `args` the arguments after it. Only a wait (-v, -w, the LSB words) awaits
 * anything: everything else is done synchronously, as runit's sv does it.
 */
export async function runSv(invokedAs: string | undefined, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const line = parseCommandLine(invokedAs, args, env);
  if (line.kind === 'usage') return usage(line.progname, line.lsb, line.stderr);
  const invocation = line.invocation;
  const plan = planFor(invocation.action, invocation.verbose, invocation.lsb);
  if (plan === undefined || (invocation.json && plan.act !== 'status')) {
    return usage(invocation.progname, invocation.lsb);
  }
  const startMs = Date.now();
  // runit opens "." to come back to after each service; failing that is its one fatal error.
  try {
    closeSync(openSync('.', constants.O_RDONLY | constants.O_NONBLOCK));
  } catch (error) {
    writeStderr(text.fatalLine(text.FATAL_OPEN_CWD, runitErrorText(errorCode(error))));
    return invocation.lsb ? exit.EXIT_LSB_FATAL : exit.EXIT_FATAL;
  }
  const session = new Session(plan.bytes, startMs);
  const pending: Target[] = [];
  let lastStatus: StatusOutcome | undefined;
  for (const name of invocation.services) {
    const located = locateForCommand(name, invocation.svdir);
    if (!located.ok) {
      if (invocation.json) jsonFailure(session, name, located.code);
      else session.fail({ name, dir: '' }, text.REASON.changeToService, located.code);
      continue;
    }
    const target = { name, dir: located.dir };
    if (plan.act === 'status') lastStatus = invocation.json ? jsonStatus(session, target) : session.status(target);
    if (plan.act === 'control' && session.control(target, plan.bytes) === -1) continue;
    pending.push(target);
  }
  if (plan.wait) await waitForAll(session, pending, plan, invocation);
  if (invocation.lsb && plan.act === 'status') return lsbStatusExit(lastStatus, session.failures);
  return exit.failureExit(session.failures);
}

function usage(progname: string, lsb: boolean, before = ''): number {
  writeStderr(before + text.usage(progname, lsb));
  return lsb ? exit.EXIT_LSB_USAGE : exit.EXIT_USAGE;
}

/** `status` in LSB mode: 0 running, 3 not running, 4 unknown; runsv missing gives the failure count. */
function lsbStatusExit(outcome: StatusOutcome | undefined, failures: number): number {
  if (outcome === undefined) return exit.failureExit(failures); // the service dir was not found
  if (outcome === 'unreadable') return exit.LSB_STATUS_UNKNOWN;
  if (outcome === 'not-running') return exit.failureExit(failures);
  if (outcome === 1) return exit.LSB_STATUS_RUNNING;
  if (outcome === 2) return exit.LSB_STATUS_NOT_RUNNING;
  return exit.LSB_STATUS_UNKNOWN;
}

/**
 * A service whose runit-ts supervisor keeps supervise/extra.json (it opted in to readiness, needs or a
 * restart policy) and that has no ./check script: a change of its supervise/ files says all there is.
 * Every other service keeps runit's 420 ms rounds, so that what sv prints, and in which order, stays
 * runit's.
 */
const wakesWaiter = (dir: string): boolean => existsSync(forKernel(`${dir}/supervise/${EXTRA_STATUS_FILE}`)) && !existsSync(forKernel(`${dir}/check`));

/**
 * Looks at every service until each is done, given up, or past the wait (strictly greater), as
 * runit's rounds do. Between rounds runit sleeps 420 ms; so does sv, unless every service still
 * waited for wakes it (wakesWaiter): then it sleeps until a supervise/ it watches changes (inotify) or
 * the wait ends.
 */
async function waitForAll(session: Session, targets: Target[], plan: Plan, invocation: Invocation): Promise<void> {
  const changes = new ServiceChanges();
  changes.watchOnly(targets.map((t) => t.dir)); // before the first look: no change can slip between
  try {
    let waiting = targets;
    for (;;) {
      changes.mark();
      const waited = (session.nowMs - session.startMs) / 1000;
      const still: Target[] = [];
      let timedOut = false;
      for (const { name } of waiting) {
        const located = locateWhileWaiting(name, invocation.svdir);
        if (!located.ok) {
          session.fail({ name, dir: '' }, text.REASON.changeToService, located.code);
          continue;
        }
        const target = { name, dir: located.dir };
        if (session.check(target) !== 0) continue;
        if (waited > invocation.waitSeconds) {
          session.timeOut(target, plan.kill);
          timedOut = true;
        } else still.push(target);
      }
      // as in runit, a round that timed a service out still sleeps once more before sv exits
      if (still.length === 0 && !timedOut) return;
      waiting = still;
      const watched = changes.watchOnly(still.map((t) => t.dir));
      const woken = still.length > 0 && still.every((t) => watched.get(t.dir) && wakesWaiter(t.dir));
      const untilTimeout = session.startMs + invocation.waitSeconds * 1000 + 1 - Date.now();
      await (woken ? changes.next(untilTimeout) : new Promise((resolve) => setTimeout(resolve, WAIT_ROUND_MS)));
      session.nowMs = Date.now();
    }
  } finally {
    changes.close();
  }
}

function jsonFailure(session: Session, name: string, code: string): void {
  session.failures++;
  const error = `${text.REASON.changeToService}: ${runitErrorText(code)}`;
  flush(`${JSON.stringify({ name, error })}\n`);
}

/** `status --json`: one JSON object per line, failures counted as the text status counts them. */
function jsonStatus(session: Session, target: Target): StatusOutcome {
  const report = readStatusReport(target.name, target.dir, session.nowMs);
  for (const line of report.stderr) writeStderr(line);
  session.failures += report.failures;
  flush(`${JSON.stringify(report.entry)}\n`);
  return report.outcome;
}
