// The per-process mode: one `runsv <name>` process per service, started in the services directory
// as runit's runsvdir starts it (runit's exact process tree), reaped by the addon's reaper.
import { reaper, spawn } from '@runit-ts/native';
import { runitErrorText } from '@runit-ts/protocol';
import { LaunchError, type HostedService, type ServiceLauncher, type ServiceToLaunch } from './hosted-service.js';
import { runsvdirMessages as M } from './messages.js';
import type { Program } from './programs.js';

export interface RunsvProcessOptions {
  /** The services directory as given (messages name it so). */
  svdir: string;
  runsv: Program;
  /** runsvdir -P: each runsv leads a session of its own. */
  newSession: boolean;
  /** fd 2 of every runsv: runsvdir's stderr, or the write end of the process-title log pipe. */
  stderrFd: number;
  env?: NodeJS.ProcessEnv;
}

export class RunsvProcesses implements ServiceLauncher {
  constructor(private readonly options: RunsvProcessOptions) {
    reaper.start();
  }

  launch(service: ServiceToLaunch, ended: () => void): HostedService {
    const { runsv, svdir, newSession, stderrFd, env } = this.options;
    let pid: number;
    try {
      pid = spawn({
        file: runsv.file,
        argv: [...runsv.argv, service.name],
        env: env ?? process.env,
        cwd: service.svdir,
        fds: [0, 1, stderrFd],
        setsid: newSession,
        search: runsv.search,
        nodeVariables: runsv.nodeVariables,
      });
    } catch (error) {
      const text = runitErrorText(error);
      // vfork failing gives EAGAIN; anything else is the child's exec failing (runit: fatal, exit 100)
      const line =
        (error as NodeJS.ErrnoException).code === 'EAGAIN'
          ? M.unableToFork(svdir, service.name, text)
          : M.unableToStartRunsv(svdir, service.name, text);
      throw new LaunchError(line);
    }
    let reaped = false;
    reaper.watch(pid, () => {
      reaped = true;
      ended();
    });
    return {
      terminate: () => {
        if (reaped) return; // the pid may belong to someone else by now
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone; its exit is (or was) reaped and reported
        }
      },
    };
  }
}
