// A process hosting many ServiceSupervisors (runsv hosts one, runsvdir's service host hundreds): one
// reaper, shared stdio, session policy and diagnostics sink, room in the fd limit, and each end told
// once; one supervisor failing never stops another.
import { EventEmitter } from 'node:events';
import { reaper } from '@runit-ts/native';
import { childFileLimit, takeFileLimit } from './file-limit.js';
import { createDiagnostics } from './diagnostics.js';
import { ServiceSupervisor, type ServiceOutput, type SupervisorEnd, type SupervisorOptions } from './supervisor.js';

export interface HostOptions extends Omit<SupervisorOptions, 'dir' | 'name'> {
  /**
   * Raise the soft limit on open files to the hard limit if it is not there yet (runsvdir's service
   * host: hundreds of supervisors in one process, where runit has a process each). Either way every
   * child gets back the soft limit the host was started with, when that is known (file-limit.ts).
   */
  makeFdRoom?: boolean;
}

export interface AddOptions<Key> {
  /** What the host knows the supervisor by (get, ended); the dir by default. */
  key?: Key;
  /** How messages name the service; the dir by default. */
  name?: string;
  /** See SupervisorOptions.openOutput. */
  openOutput?: SupervisorOptions['openOutput'];
  /** The log pipe a supervisor that died had for this service (see SupervisorOptions.logPipeFd). */
  logPipeFd?: number;
}

export interface HostEvents<Key> {
  /** A supervisor ended (exit sequence done, or a fatal error) and its output is done; the host has forgotten it. */
  ended: [supervisor: ServiceSupervisor, end: SupervisorEnd, key: Key];
  /** A supervisor's log pipe is in use, or closed (its 'logPipe' event). */
  logPipe: [key: Key, state: 'open' | 'closed', fds: readonly [read: number, write: number]];
}

export class SupervisorHost<Key = string> extends EventEmitter<HostEvents<Key>> {
  private readonly live = new Map<Key, ServiceSupervisor>();
  private readonly options: Omit<SupervisorOptions, 'dir' | 'name'>;
  private stopping = false;

  constructor({ makeFdRoom = false, ...options }: HostOptions = {}) {
    super();
    const childLimit = makeFdRoom ? childFileLimit() : takeFileLimit();
    // one sink for every supervisor: runit's lines, or JSON lines (pino loaded once)
    this.options = { childFileLimit: childLimit, ...options, diagnostics: options.diagnostics ?? createDiagnostics(options.stderrFd ?? 2) };
    reaper.start();
  }

  /**
   * Creates a supervisor for `dir` and starts it. A start that fails is reported as runsv reports
   * it and ends the supervisor with code 111: every supervisor added ends once, and 'ended' says so.
   * Throws (and starts nothing) once terminateAll was called, or when `key` is hosted already.
   */
  add(dir: string, { key = dir as unknown as Key, name = dir, openOutput, logPipeFd }: AddOptions<Key> = {}): ServiceSupervisor {
    if (this.stopping) throw new Error(`${name}: the host is stopping`);
    if (this.live.has(key)) throw new Error(`${name}: ${String(key)} is hosted already`);
    const supervisor = new ServiceSupervisor({ ...this.options, dir, name, logPipeFd, ...(openOutput ? { openOutput } : {}) });
    this.live.set(key, supervisor);
    supervisor.on('logPipe', (state, fds) => this.emit('logPipe', key, state, fds));
    void supervisor.ended.then((end) => {
      this.live.delete(key);
      try {
        this.emit('ended', supervisor, end, key);
      } catch {
        // a listener's failure must not reach the supervisors
      }
    });
    supervisor.start().catch(() => undefined); // already reported; its end follows
    return supervisor;
  }

  get(key: Key): ServiceSupervisor | undefined {
    return this.live.get(key);
  }

  /** The supervisors that have not ended yet. */
  get supervisors(): ServiceSupervisor[] {
    return [...this.live.values()];
  }

  get size(): number {
    return this.live.size;
  }

  /** True once terminateAll was called: nothing more is added. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Every running child pid, per supervisor (for measurement and for runsvdir -P style clean-up). */
  pids(): Array<{ name: string; service: number; log: number }> {
    return this.supervisors.map((s) => ({ name: s.name, ...s.pids() }));
  }

  /** SIGTERM to every runsv: each runs its exit sequence; resolves when all have ended. */
  terminateAll(): Promise<SupervisorEnd[]> {
    this.stopping = true;
    return Promise.all(this.supervisors.map((s) => s.terminate()));
  }
}
