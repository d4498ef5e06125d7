// runit's three stages and its loop while one runs: stage exits (with runit 2.3.0's rule that a
// crash counts), the stage-2 restart on 111, and the CONT/INT requests (ctrlaltdel, stopit). In
// container mode: SIGTERM and the main service's end stop stage 1 or 2, stage 2 is never restarted,
// and the stop (stage 3 included) is bounded by the grace.
import { chmodSync } from 'node:fs';
import { type EnvEntry, type ExitStatus, exitedWith, reaper } from '@runit-ts/native';
import { regetStderr, say } from './console.js';
import { type ContainerStop, exitCodeOf } from './container-stop.js';
import { STAGE1_SKIP_STAGE2, STAGE2_RESTART } from './exit.js';
import { isOwnerExecutable } from './files.js';
import { type RunningChild, startChild } from './launch.js';
import { runitMessages } from './messages.js';
import type { RunitPaths } from './paths.js';
import { SignalRequests } from './signals.js';
import { sleep } from './sleep.js';
import { type Wakeup, within } from './wakeup.js';

/** runit's poll timeout: the loop turns at least this often, even with nothing to do. */
export const LOOP_TIMEOUT_MS = 14_000;
/** Pause between killing a failed stage 2's process group and starting it again. */
export const STAGE2_RESTART_DELAY_MS = 5000;
/** How long stage 2 gets to end after SIGTERM before it is sent SIGKILL. */
export const STAGE2_TERM_GRACE_MS = 5000;

const STAGE1 = 0;
const STAGE2 = 1;
const STAGE3 = 2;

type StageOutcome = 'next' | 'skip-stage-2' | 'restart-stage-2' | 'stopped';

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone: nothing to do, as for runit
  }
}

export class Stages {
  readonly requests = new SignalRequests(
    () => this.wakeup.notify(),
    () => this.report(),
  );
  /** 0, 1, 2 while a stage runs; 3 once stage 3 has ended. */
  current = -1;
  /** Container mode: the main service whose ./run has ended, until stage 2 is stopped for it. */
  private mainEnded: string | undefined;

  /** container: the stop's books, in container mode only. */
  constructor(
    private readonly paths: RunitPaths,
    private readonly env: EnvEntry[],
    private readonly wakeup: Wakeup,
    private readonly container?: ContainerStop,
  ) {
    // As runit's SIGCHLD handler: any child's end turns the loop, so requests left over from the
    // previous stage are looked at.
    reaper.onOrphan(() => this.wakeup.notify());
  }

  /** Container mode: the main service's ./run has ended; stage 2 is stopped at the next turn. */
  mainServiceEnded(dir: string): void {
    this.mainEnded = dir;
    this.wakeup.notify();
  }

  /** Runs stages 1, 2 and 3 as runit does; resolves when stage 3 has ended (or its grace is over). */
  async run(): Promise<void> {
    for (let st = STAGE1; st < 3; st++) {
      this.current = st;
      if (st === STAGE3 && this.container?.expired()) {
        say(runitMessages.graceOverBeforeStage3);
        break;
      }
      const outcome = await this.runStage(st);
      if (outcome === 'skip-stage-2') st = STAGE2;
      else if (outcome === 'restart-stage-2') st = STAGE1;
    }
    this.current = 3;
  }

  private async runStage(st: number): Promise<StageOutcome> {
    const path = this.paths.stages[st]!;
    const child = await startChild(path, st === STAGE1 ? 'stage1' : 'new-session', this.env, () => this.wakeup.notify());
    // A stage that cannot be executed: runit's child prints why and exits 0.
    if (child === null) return this.stageEnded(st, 0, exitedWith(0, 0));
    for (;;) {
      const pendingCounted = this.requests.unblock();
      await this.wakeup.wait(this.turnTimeoutMs());
      this.requests.block();
      reaper.reap();
      regetStderr();
      // runit gets a signal left pending from the previous stage the moment it unblocks, microseconds
      // after the fork, so it warns before it could see even a stage that ends at once; our start is
      // slower, so the warning is given before looking at the exit, whatever the timing.
      if (pendingCounted && st !== STAGE2 && this.requests.any) {
        say(runitMessages.signalsOnlyInStage2);
        this.requests.clear();
      }
      if (child.exit) return this.stageEnded(st, child.pid, child.exit);
      if (this.container) {
        const outcome = await this.containerTurn(st, child, this.container);
        if (outcome) return outcome;
      }
      if (!this.requests.any) continue;
      if (st !== STAGE2) {
        say(runitMessages.signalsOnlyInStage2);
        this.requests.clear();
        continue;
      }
      if (this.requests.int > 0 && isOwnerExecutable(this.paths.ctrlaltdel)) await this.ctrlAltDel();
      if (this.requests.cont > 0 && isOwnerExecutable(this.paths.stopit)) {
        this.container?.begin({ kind: 'request' });
        await this.stopStage(STAGE2, child, { disarmStopit: true });
        return 'stopped';
      }
      this.requests.clear();
    }
  }

  private async stageEnded(st: number, pid: number, exit: ExitStatus): Promise<StageOutcome> {
    const path = this.paths.stages[st]!;
    const crashed = exit.signal !== null;
    if (crashed || exit.code !== 0) {
      say(crashed ? runitMessages.childCrashed(path) : runitMessages.childFailed(path));
      if (st === STAGE1 && (crashed || exit.code === STAGE1_SKIP_STAGE2)) {
        say(runitMessages.leaveStage(path));
        say(runitMessages.skippingStage2);
        this.container?.begin({ kind: 'stage', code: exitCodeOf(exit) });
        return 'skip-stage-2';
      }
      // In container mode the container ends instead: restarting it is the orchestrator's call.
      if (st === STAGE2 && !this.container && (crashed || exit.code === STAGE2_RESTART)) {
        say(runitMessages.killingStage2);
        killQuietly(-pid, 'SIGKILL');
        await sleep(STAGE2_RESTART_DELAY_MS);
        say(runitMessages.restarting);
        return 'restart-stage-2';
      }
    }
    say(runitMessages.leaveStage(path));
    if (st === STAGE2) this.container?.begin({ kind: 'stage', code: exitCodeOf(exit) });
    return 'next';
  }

  /** How long a turn may wait: runit's poll timeout, or less when the grace ends sooner. */
  private turnTimeoutMs(): number {
    return Math.min(LOOP_TIMEOUT_MS, Math.ceil(this.container?.remainingMs() ?? Infinity));
  }

  /**
   * Container mode's part of a turn, after the stage's own end has been looked at: SIGTERM (or the
   * main service's end, in stage 2) stops stage 1 or 2; stage 3 ends when the grace is over. Returns
   * the stage's outcome when it is over.
   */
  private async containerTurn(st: number, child: RunningChild, stop: ContainerStop): Promise<StageOutcome | undefined> {
    const term = this.requests.term > 0;
    this.requests.term = 0;
    if (st === STAGE3) {
      if (!stop.expired()) return undefined;
      say(runitMessages.graceOverInStage3);
      return 'next';
    }
    const main = st === STAGE2 ? this.mainEnded : undefined;
    if (term) {
      say(runitMessages.stopOnTerm);
      stop.begin({ kind: 'request' });
    } else if (main !== undefined) {
      say(runitMessages.mainServiceEnded(main));
      stop.begin({ kind: 'main', dir: main });
    } else {
      return undefined;
    }
    await this.stopStage(st, child, { disarmStopit: false });
    return st === STAGE1 ? 'skip-stage-2' : 'stopped';
  }

  /** SIGINT with an owner-executable ctrlaltdel: run it, wait for it, then act as if SIGCONT came. */
  private async ctrlAltDel(): Promise<void> {
    const path = this.paths.ctrlaltdel;
    say(runitMessages.ctrlAltDel);
    const child = await startChild(path, 'same-session', this.env);
    if (child !== null) {
      const exit = await child.exited;
      if (exit.signal !== null) say(runitMessages.childCrashed(path));
    }
    say(runitMessages.leaveStage(path));
    this.requests.int = 0;
    this.requests.cont++;
  }

  /**
   * SIGCONT with an owner-executable stopit: disarm stopit, TERM stage 2, KILL it after 5 s. Container
   * mode stops stage 1 or 2 the same way on SIGTERM (stopit untouched), and KILLs sooner when the
   * grace ends first.
   */
  private async stopStage(st: number, child: RunningChild, { disarmStopit }: { disarmStopit: boolean }): Promise<void> {
    if (disarmStopit) {
      try {
        chmodSync(this.paths.stopit, 0);
      } catch {
        // runit ignores a failed chmod too
      }
    }
    if (!child.exit) killQuietly(child.pid, 'SIGTERM');
    if (!(await within(child.exited, Math.min(STAGE2_TERM_GRACE_MS, this.container?.remainingMs() ?? Infinity)))) {
      say(st === STAGE1 ? runitMessages.stage1NotTerminated : runitMessages.stage2NotTerminated);
      killQuietly(child.pid, 'SIGKILL');
      await child.exited;
    }
    this.requests.cont = 0;
    say(runitMessages.leaveStage(this.paths.stages[st]!));
  }

  private report(): void {
    const stage = this.current < 0 ? 'boot' : this.current < 3 ? String(this.current + 1) : 'final';
    say(runitMessages.report(stage, reaper.orphans, Math.round(process.memoryUsage.rss() / 1024)));
  }
}
