// runit's three stages and its loop while one runs: stage exits (with runit 2.3.0's rule that a
// crash counts), the stage-2 restart on 111, and the CONT/INT requests (ctrlaltdel, stopit).
import { chmodSync } from 'node:fs';
import { type ExitStatus, exitedWith, reaper } from '@runit-ts/native';
import { regetStderr, say } from './console.js';
import { STAGE1_SKIP_STAGE2, STAGE2_RESTART } from './exit.js';
import { isOwnerExecutable } from './files.js';
import { type RunningChild, startChild } from './launch.js';
import { runitMessages } from './messages.js';
import type { RunitPaths } from './paths.js';
import { SignalRequests } from './signals.js';
import { sleep } from './sleep.js';
import { Wakeup, within } from './wakeup.js';

/** runit's poll timeout: the loop turns at least this often, even with nothing to do. */
export const LOOP_TIMEOUT_MS = 14_000;
/** Pause between killing a failed stage 2's process group and starting it again. */
export const STAGE2_RESTART_DELAY_MS = 5000;
/** How long stage 2 gets to end after SIGTERM before it is sent SIGKILL. */
export const STAGE2_TERM_GRACE_MS = 5000;

const STAGE1 = 0;
const STAGE2 = 1;

type StageOutcome = 'next' | 'skip-stage-2' | 'restart-stage-2' | 'stopped';

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone: nothing to do, as for runit
  }
}

export class Stages {
  private readonly wakeup = new Wakeup();
  readonly requests = new SignalRequests(
    () => this.wakeup.notify(),
    () => this.report(),
  );
  /** 0, 1, 2 while a stage runs; 3 once stage 3 has ended. */
  current = -1;

  constructor(
    private readonly paths: RunitPaths,
    private readonly env: string[],
  ) {
    // As runit's SIGCHLD handler: any child's end turns the loop, so requests left over from the
    // previous stage are looked at.
    reaper.onOrphan(() => this.wakeup.notify());
  }

  /** Runs stages 1, 2 and 3 as runit does; resolves when stage 3 has ended. */
  async run(): Promise<void> {
    for (let st = STAGE1; st < 3; st++) {
      this.current = st;
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
      await this.wakeup.wait(LOOP_TIMEOUT_MS);
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
      if (!this.requests.any) continue;
      if (st !== STAGE2) {
        say(runitMessages.signalsOnlyInStage2);
        this.requests.clear();
        continue;
      }
      if (this.requests.int > 0 && isOwnerExecutable(this.paths.ctrlaltdel)) await this.ctrlAltDel();
      if (this.requests.cont > 0 && isOwnerExecutable(this.paths.stopit)) {
        await this.stopStage2(child);
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
        return 'skip-stage-2';
      }
      if (st === STAGE2 && (crashed || exit.code === STAGE2_RESTART)) {
        say(runitMessages.killingStage2);
        killQuietly(-pid, 'SIGKILL');
        await sleep(STAGE2_RESTART_DELAY_MS);
        say(runitMessages.restarting);
        return 'restart-stage-2';
      }
    }
    say(runitMessages.leaveStage(path));
    return 'next';
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

  /** SIGCONT with an owner-executable stopit: disarm stopit, TERM stage 2, KILL it after 5 s. */
  private async stopStage2(child: RunningChild): Promise<void> {
    try {
      chmodSync(this.paths.stopit, 0);
    } catch {
      // runit ignores a failed chmod too
    }
    if (!child.exit) killQuietly(child.pid, 'SIGTERM');
    if (!(await within(child.exited, STAGE2_TERM_GRACE_MS))) {
      say(runitMessages.stage2NotTerminated);
      killQuietly(child.pid, 'SIGKILL');
      await child.exited;
    }
    this.requests.cont = 0;
    say(runitMessages.leaveStage(this.paths.stages[STAGE2]));
  }

  private report(): void {
    const stage = this.current < 0 ? 'boot' : this.current < 3 ? String(this.current + 1) : 'final';
    say(runitMessages.report(stage, reaper.orphans, Math.round(process.memoryUsage.rss() / 1024)));
  }
}
