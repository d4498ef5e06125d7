// A log dir's processor (docs/runit-behaviour.md §5.7): `sh -c <cmd>` on a rotated `.u`, finished
// into `.s` or restarted.
import { chmodSync, closeSync, constants, openSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { forKernel, reaper, spawn, type EnvEntry, type ExitStatus, type SpawnUser } from '@runit-ts/native';
import type { LogDirContext } from './log-dir-context.js';
import * as msg from './messages.js';

export interface ProcessorHost extends LogDirContext {
  /** The processor's user, umask and environment, when they are not this process's. */
  readonly spawnAs: { user?: SpawnUser; umask?: number; env?: EnvEntry[] };
  /** The command to run now (the config may have changed since the start); undefined = none. */
  command(): string | undefined;
  /** Called once the `.u` file has been processed into its `.s` and the state renamed. */
  processed(): void;
}

const WRITE_TRUNC = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC;

/** Opens `name` in the dir, runit's way (open_read, or open_trunc with mode 0644), but never through a link. */
function openIn(path: string, name: string, flags: number): number {
  return openSync(forKernel(join(path, name)), flags | constants.O_NOFOLLOW, 0o644);
}

/** fd 4: `state`, created empty when missing. */
function openState(path: string): number {
  try {
    return openIn(path, 'state', constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    closeSync(openIn(path, 'state', WRITE_TRUNC));
    return openIn(path, 'state', constants.O_RDONLY);
  }
}

/** Runs one processor at a time for a dir; `busy` until the current `.u` has been processed. */
export class Processor {
  private pid = 0;
  private input: string | undefined;
  private retry: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly host: ProcessorHost) {}

  /** True from start() until the file has been processed (through restarts and pauses). */
  get busy(): boolean {
    return this.input !== undefined;
  }

  /** The files a running processor uses: its `.u` and `.t` (pruning leaves them alone). */
  get filesInUse(): string[] {
    return this.input === undefined ? [] : [this.input, `${this.input.slice(0, 26)}t`];
  }

  /** Resolves once no file is being processed. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets the file being processed: a processor at work goes on alone, its exit is not waited for. */
  abandon(): void {
    clearTimeout(this.retry);
    if (this.pid > 0) reaper.unwatch(this.pid);
    this.pid = 0;
    this.input = undefined;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Starts processing `uName` (an `@….u` file just rotated). */
  start(uName: string): void {
    this.input = uName;
    this.run();
  }

  private run(): void {
    const { host } = this;
    const input = this.input!;
    const command = host.command();
    if (command === undefined) {
      // The config lost its processor (SIGHUP): the .u stays unprocessed, as runit leaves it.
      this.finish();
      return;
    }
    if (host.verbose) host.report(msg.infoProcessing(host.dir, input));
    const fds: number[] = [];
    let step = msg.PROCESSOR_INPUT;
    try {
      fds.push(openIn(host.path, input, constants.O_RDONLY));
      step = msg.PROCESSOR_OUTPUT;
      fds.push(openIn(host.path, `${input.slice(0, 26)}t`, WRITE_TRUNC));
      step = msg.PROCESSOR_STATE;
      fds.push(openState(host.path));
      step = msg.PROCESSOR_NEWSTATE;
      fds.push(openIn(host.path, 'newstate', WRITE_TRUNC));
      step = msg.START_PROCESSOR;
      reaper.start();
      const { user, umask, env } = host.spawnAs;
      this.pid = spawn({
        file: '/bin/sh',
        argv: ['sh', '-c', command],
        cwd: host.path,
        fds: [fds[0]!, fds[1]!, 2, null, fds[2]!, fds[3]!],
        ...(user ? { user } : {}),
        ...(umask === undefined ? {} : { umask }),
        ...(env ? { env } : {}),
      });
      reaper.watch(this.pid, (exit) => host.asOwner(() => this.exited(exit)));
    } catch (error) {
      host.report(msg.pausing(step, host.dir, error));
      this.retry = setTimeout(() => host.asOwner(() => this.run()), host.pauseMs);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }

  private exited(exit: ExitStatus): void {
    this.pid = 0;
    const { host } = this;
    const base = this.input!.slice(0, 26);
    // runit tests only the exit code byte: a processor killed by a signal counts as a success.
    if ((exit.code ?? 0) !== 0) {
      host.report(msg.processorFailed(host.dir));
      try {
        unlinkSync(forKernel(join(host.path, `${base}t`)));
      } catch {
        // nothing to remove
      }
      this.run();
      return;
    }
    this.finalize(0);
  }

  /** `.t` -> `.s` (mode 0744), remove the `.u`, `newstate` -> `state`; a failed step is retried alone. */
  private finalize(from: number): void {
    const { host } = this;
    const input = this.input!;
    const at = (name: string): string => join(host.path, name);
    const base = input.slice(0, 26);
    const steps: Array<[string, () => void]> = [
      [msg.RENAME_PROCESSED, () => renameSync(forKernel(at(`${base}t`)), forKernel(at(`${base}s`)))],
      [
        msg.MODE_PROCESSED,
        () => {
          chmodSync(forKernel(at(`${base}s`)), 0o744);
          try {
            unlinkSync(forKernel(at(input)));
          } catch {
            host.report(msg.unlinkFailed(host.dir, input));
          }
        },
      ],
      [msg.RENAME_STATE, () => renameSync(forKernel(at('newstate')), forKernel(at('state')))],
    ];
    for (let i = from; i < steps.length; i++) {
      const [message, step] = steps[i]!;
      try {
        step();
      } catch (error) {
        host.report(msg.pausing(message, host.dir, error));
        this.retry = setTimeout(() => host.asOwner(() => this.finalize(i)), host.pauseMs);
        return;
      }
    }
    if (host.verbose) host.report(msg.infoProcessed(host.dir, `${base}s`));
    this.finish();
  }

  private finish(): void {
    this.input = undefined;
    this.host.processed();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
