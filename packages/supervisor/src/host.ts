// A host process for many ServiceSupervisors (runsv hosts one, runsvdir hundreds): one reaper,
// shared stdio and session policy, and a wall between supervisors: one failing never stops another.
import { EventEmitter } from 'node:events';
import { reaper } from '@runit-ts/native';
import type { DiagnosticSink } from './diagnostics.js';
import { SupervisorError } from './errors.js';
import { ServiceSupervisor, type SupervisorEnd, type SupervisorOptions } from './supervisor.js';

export type HostOptions = Omit<SupervisorOptions, 'dir' | 'name'> & { diagnostics?: DiagnosticSink };

export interface HostEvents {
  /** A supervisor ended (exit sequence done, or a fatal error); the host has forgotten it. */
  ended: [supervisor: ServiceSupervisor, end: SupervisorEnd];
}

export class SupervisorHost extends EventEmitter<HostEvents> {
  private readonly live = new Set<ServiceSupervisor>();

  constructor(private readonly options: HostOptions = {}) {
    super();
    reaper.start();
  }

  /**
   * Creates and starts a supervisor for `dir`. Rejects with its SupervisorError (already reported
   * through the diagnostics) when runsv would have exited 111; nothing else is affected.
   */
  async add(dir: string, name: string = dir): Promise<ServiceSupervisor> {
    let supervisor: ServiceSupervisor;
    try {
      supervisor = new ServiceSupervisor({ ...this.options, dir, name });
    } catch (error) {
      throw new SupervisorError(name, error instanceof Error ? error.message : String(error), error);
    }
    this.live.add(supervisor);
    supervisor.ended.then((end) => {
      this.live.delete(supervisor);
      try {
        this.emit('ended', supervisor, end);
      } catch {
        // a listener's failure must not reach the supervisors
      }
    });
    await supervisor.start();
    return supervisor;
  }

  /** The supervisors that have not ended yet. */
  get supervisors(): ServiceSupervisor[] {
    return [...this.live];
  }

  /** Every running child pid, per supervisor (for measurement and for runsvdir -P style clean-up). */
  pids(): Array<{ name: string; service: number; log: number }> {
    return this.supervisors.map((s) => ({ name: s.name, ...s.pids() }));
  }

  /** SIGTERM to every runsv: each runs its exit sequence; resolves when all have ended. */
  terminateAll(): Promise<SupervisorEnd[]> {
    return Promise.all(this.supervisors.map((s) => s.terminate()));
  }
}
