// One sv run's per-service operations, each printing what runit's sv prints and counting failures:
// svstatus_get, svstatus_print, status, control and the wait-loop check of runit's sv.c.
import { isReady, runitErrorText, taiLabel, type DecodedStatus } from '@runit-ts/protocol';
import { checkPasses } from './check-script.js';
import { conditionsHold } from './conditions.js';
import * as text from './messages.js';
import { flush, put, writeStderr } from './output.js';
import { readExtraStatus } from './readiness-reader.js';
import { enter } from './service-path.js';
import { statusLine } from './status-record.js';
import { isNormallyUp, readSuperviseStatus, writeControl, type Trouble } from './supervise-io.js';

/** A service being worked on: its name as typed and the dir it resolved to. */
export interface Target {
  name: string;
  dir: string;
}

/** What `status` saw: the status line's verdict (1 running, 2 not running, 0 unprintable) or why none. */
export type StatusOutcome = 0 | 1 | 2 | 'unreadable' | 'not-running';

export class Session {
  /** fail, warning and timeout lines so far. */
  failures = 0;
  /** runit's tnow: the start time, then the time after each 420 ms pause of the wait loop. */
  nowMs: number;

  constructor(
    /** The command's bytes; the first decides whether "runsv not running" is ok (`x`) or a failure. */
    private readonly bytes: string,
    readonly startMs: number,
  ) {
    this.nowMs = startMs;
  }

  fail(target: Target, reason: string, code?: string, isLog = false): void {
    this.failures++;
    this.say(text.FAIL, target, reason, code, isLog);
  }

  warn(target: Target, trouble: Trouble, isLog = false): void {
    this.failures++;
    this.say(text.WARNING, target, trouble.reason, trouble.code, isLog);
  }

  /** runit's out(): the line goes out with whatever the buffer already holds. */
  private say(prefix: string, target: Target, reason: string, code: string | undefined, isLog: boolean): void {
    put(text.serviceLine(prefix, target.name, isLog, reason, code === undefined ? undefined : runitErrorText(code)));
    flush();
  }

  /** runsv not running is fine for exit (`x`), a failure for anything else. */
  private notRunning(target: Target, byte: string, isLog = false): void {
    if (byte === 'x') this.say(text.OK, target, text.REASON.notRunning, undefined, isLog);
    else this.fail(target, text.REASON.notRunning, undefined, isLog);
  }

  /** svstatus_get: the decoded status, or why there is none (after printing it). */
  statusGet(target: Target, dir = target.dir, isLog = false): DecodedStatus | 'not-running' | 'unreadable' {
    const read = readSuperviseStatus(dir);
    if (read.kind === 'status') return read.status;
    if (read.kind === 'not-running') {
      this.notRunning(target, this.bytes[0]!, isLog);
      return 'not-running';
    }
    this.warn(target, read, isLog);
    return 'unreadable';
  }

  /** svstatus_print: puts the status line; 1 if a pid runs, 2 if none, 0 if `down` could not be stat'ed. */
  printStatus(target: Target, shownName: string, dir: string, status: DecodedStatus): 0 | 1 | 2 {
    const down = isNormallyUp(dir);
    if ('code' in down) {
      writeStderr(text.cannotStat(target.name, 'down', runitErrorText(down.code)));
      return 0;
    }
    put(statusLine(shownName, status, this.nowMs, down.normallyUp, readExtraStatus(dir)));
    return status.pid !== 0 ? 1 : 2;
  }

  /** The status command: the main line, then `; ` and the log's line when log/ exists. */
  status(target: Target): StatusOutcome {
    const status = this.statusGet(target);
    if (typeof status === 'string') return status;
    const verdict = this.printStatus(target, target.name, target.dir, status);
    const logDir = `${target.dir}/log`;
    const log = enter(logDir);
    if (!log.ok && log.code === 'ENOENT') {
      put('\n');
    } else if (!log.ok) {
      put(text.LOG_SEPARATOR);
      this.warn(target, { kind: 'error', reason: text.REASON.changeToLog, code: log.code }, true);
    } else {
      put(text.LOG_SEPARATOR);
      const logStatus = this.statusGet(target, logDir, true);
      // runit 2.1.2 printed the main service's bytes again here when the log's were unreadable.
      if (typeof logStatus !== 'string') {
        this.printStatus(target, text.LOG_NAME, logDir, logStatus);
        put('\n');
      }
    }
    flush();
    return verdict;
  }

  /** Sends `bytes` unless already in effect: 0 skipped, 1 sent, -1 failed (and printed). */
  control(target: Target, bytes: string): -1 | 0 | 1 {
    const status = this.statusGet(target);
    if (typeof status === 'string') return -1;
    // A want already in effect is not sent again, except `d` after `o` (want down but no TERM yet).
    if (wantLetter(status) === bytes[0] && (bytes[0] !== 'd' || status.gotTerm)) return 0;
    const sent = writeControl(target.dir, bytes);
    if (sent.kind === 'sent') return 1;
    if (sent.kind === 'not-running') this.notRunning(target, bytes[0]!);
    else this.warn(target, sent);
    return -1;
  }

  /** One wait-loop look: 1 done (ok printed), 0 not yet, -1 given up (reason printed). */
  check(target: Target): -1 | 0 | 1 {
    const status = this.statusGet(target);
    if (status === 'unreadable') return -1;
    if (status === 'not-running') return this.bytes[0] === 'x' ? 1 : -1;
    const extra = readExtraStatus(target.dir);
    // beyond runit: a service waited for up that its restart policy took down for good since sv started
    if (extra?.failed && extra.failed.since >= this.startMs && this.bytes.includes('u')) {
      this.fail(target, text.failedWhileWaiting(extra.failed.reason));
      return -1;
    }
    const ready = (): boolean => isReady(status, extra);
    const held = conditionsHold(this.bytes, status, taiLabel(this.startMs), () => checkPasses(target.dir, target.name), ready);
    if (!held) return 0;
    put(text.OK);
    this.printStatus(target, target.name, target.dir, status);
    flush('\n');
    return 1;
  }

  /** The deadline passed: `timeout: ` (or `kill: ` and a `k`) and the status line. */
  timeOut(target: Target, kill: boolean): void {
    put(kill ? text.KILL : text.TIMEOUT);
    const status = this.statusGet(target);
    if (typeof status !== 'string') {
      this.printStatus(target, target.name, target.dir, status);
      this.failures++;
    }
    flush('\n');
    if (kill) this.control(target, 'k');
  }
}

/** Status byte 17 as the control letter it stands for ('u' or 'd'). */
const wantLetter = (status: DecodedStatus): string | undefined =>
  status.want === 'up' ? 'u' : status.want === 'down' ? 'd' : undefined;
