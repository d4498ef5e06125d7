// How runsvdir hosts services, chosen from the environment: supervisors in one service-host process
// (the default), or a runsv process per service (runit's exact tree).
import type { DiagnosticSink } from '@runit-ts/supervisor';
import type { ServiceLauncher } from './service-launcher.js';
import { hostScript, nodeScript, runsvProgram } from './programs.js';
import { RunsvProcesses } from './runsv-processes.js';
import { ServiceHostLauncher } from './service-host-launcher.js';

export type HostingMode = 'host' | 'process';

/** RUNIT_TS_RUNSVDIR_MODE picks the mode; naming a runsv in RUNIT_TS_RUNSV implies `process`. */
export function hostingMode(env: NodeJS.ProcessEnv): HostingMode {
  const mode = env.RUNIT_TS_RUNSVDIR_MODE;
  if (mode === 'process' || mode === 'host') return mode;
  return env.RUNIT_TS_RUNSV ? 'process' : 'host';
}

export interface HostingOptions {
  svdir: string;
  newSession: boolean;
  /** The oom_score_adj of the processes started, when runsvdir lowered its own. */
  childOomScoreAdj: number | undefined;
  /** The soft limit on open files of the processes started, when runsvdir raised its own. */
  childFileLimit: number | undefined;
  stderrFd: number;
  logReadFd?: number;
  env: NodeJS.ProcessEnv;
  report: DiagnosticSink;
}

export function createLauncher(mode: HostingMode, options: HostingOptions): ServiceLauncher {
  const runsvProcesses = (): RunsvProcesses => new RunsvProcesses({ ...options, runsv: runsvProgram(options.env.RUNIT_TS_RUNSV) });
  if (mode === 'process') return runsvProcesses();
  const script = hostScript();
  if (script === undefined) throw new Error('runsvdir-host.cjs is missing: build @runit-ts/dir-scanner');
  // services the host has no fds for get a runsv each, as in the per-process mode
  return new ServiceHostLauncher({ ...options, host: nodeScript(script), overflow: runsvProcesses() });
}
