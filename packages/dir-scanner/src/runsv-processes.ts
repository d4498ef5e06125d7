// The per-process mode: one `runsv <name>` process per service, started in the services directory
// as runit's runsvdir starts it (runit's exact process tree), reaped by the addon's reaper.
import { isForkFailure, reaper, spawn } from '@runit-ts/native';
import { fileLimitEntry, ORPHANS_PARENT } from '@runit-ts/supervisor';
import { LaunchError, type HostedService, type ServiceLauncher, type ServiceToLaunch } from './service-launcher.js';
import { runsvdirMessages as M } from './messages.js';
import type { Program } from './programs.js';

export interface RunsvProcessOptions {
  /** The services directory as given (messages name it so). */
  svdir: string;
  runsv: Program;
  /** runsvdir -P: each runsv leads a session of its own. */
  newSession: boolean;
  /** Their oom_score_adj when runsvdir lowered its own: the value runsvdir was started with. */
  childOomScoreAdj?: number;
  /** Their soft limit on open files when runsvdir raised its own: the one runsvdir was started with. */
  childFileLimit?: number;
  /** fd 2 of every runsv: runsvdir's stderr, or the write end of the process-title log pipe. */
  stderrFd: number;
  env?: NodeJS.ProcessEnv;
}

export class RunsvProcesses implements ServiceLauncher {
  constructor(private readonly options: RunsvProcessOptions) {
    reaper.start();
  }

  launch(service: ServiceToLaunch, ended: () => void): HostedService {
    const { runsv, svdir, newSession, stderrFd, env, childOomScoreAdj, childFileLimit } = this.options;
    let pid: number;
    try {
      pid = spawn({
        file: runsv.file,
        argv: [...runsv.argv, service.name],
        // our runsv learns that what a dead runsv left is orphaned to runsvdir (a subreaper)
        // and a Node process raises its own file limit as it starts: the one to give back is handed down
        env: runsv.ours ? { ...(env ?? process.env), [ORPHANS_PARENT]: String(process.pid), ...fileLimitEntry(childFileLimit) } : (env ?? process.env),
        cwd: service.svdir,
        fds: [0, 1, stderrFd],
        setsid: newSession,
        oomScoreAdj: childOomScoreAdj,
        fileLimit: childFileLimit,
        search: runsv.search,
        nodeVariables: runsv.nodeVariables,
      });
    } catch (error) {
      // anything but the fork is the child's failure (runit's child: fatal, exit 100)
      throw new LaunchError(
        isForkFailure(error) ? M.unableToFork(svdir, service.name, error) : M.unableToStartRunsv(svdir, service.name, error),
      );
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
