// What the scanner needs from whatever hosts a service: a runsv process of its own, or a supervisor
// inside the service-host process. The scanner only starts, stops and hears of the end.
import { diagnosticText, type Diagnostic } from '@runit-ts/supervisor';

/** One service directory for a launcher to host. */
export interface ServiceToLaunch {
  /** The entry's name in the services directory: runsv's argument, and how messages name it. */
  name: string;
  /** The services directory, resolved (symlinks followed) when it was scanned: runsv's cwd. */
  svdir: string;
  /** `dev:ino` of the service directory. */
  key: string;
}

export interface HostedService {
  /**
   * Stops the service as runsv stops on SIGTERM: service down, log drained, then the host of this
   * service goes away and the launcher reports the end. Never throws.
   */
  terminate(): void;
}

/** What runit prints when it cannot start a runsv; the scanner reports it and retries later. */
export class LaunchError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnosticText(diagnostic));
  }
}

export interface ServiceLauncher {
  /**
   * Starts hosting `service`; `ended` is called once, later, when its host has gone (a runsv that
   * exited, a supervisor that ended, a service host that died). Throws LaunchError when nothing was
   * started.
   */
  launch(service: ServiceToLaunch, ended: () => void): HostedService;
  /** The service is no longer in the directory: anything kept for it is let go of. */
  forget?(key: string): void;
  /** Resolves once everything asked of the hosting has been handed over (before runsvdir exits). */
  flush?(): Promise<void>;
  /** Once every service has ended: lets the hosting go too, resolving when it has. */
  close?(): Promise<void>;
  /** The tree's processes besides runsvdir, by name, for reports (the service host and the fd-holder; none per process). */
  hostProcesses?(): Array<{ name: string; pid: number }>;
}
