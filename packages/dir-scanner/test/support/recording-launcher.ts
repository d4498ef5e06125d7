// A launcher that starts nothing: it records what the scanner asks for, so that the scanner's table
// logic can be checked on real directories without processes.
import type { HostedService, ServiceLauncher, ServiceToLaunch } from '../../src/service-launcher.js';

export interface Launched extends ServiceToLaunch {
  terminated: boolean;
  /** Ends the "host" of this service, as a runsv exiting would. */
  end(): void;
}

export class RecordingLauncher implements ServiceLauncher {
  readonly launched: Launched[] = [];
  /** Make the next launches fail with this line (runit: the fork or exec failed). */
  failWith: Error | undefined;

  launch(service: ServiceToLaunch, ended: () => void): HostedService {
    if (this.failWith) throw this.failWith;
    let done = false;
    const record: Launched = {
      ...service,
      terminated: false,
      end: () => {
        if (done) return;
        done = true;
        setImmediate(ended);
      },
    };
    this.launched.push(record);
    return {
      terminate: () => {
        record.terminated = true;
        record.end();
      },
    };
  }

  /** Names launched so far (in order), optionally only those still running. */
  names(running = false): string[] {
    return this.launched.filter((l) => !running || !l.terminated).map((l) => l.name);
  }
}
