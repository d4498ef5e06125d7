// A whole supervision tree over a services dir: our runsvdir with its service host, our runsvdir with
// a runsv of ours per service, or runit's runsvdir and runsv; started in a session of its own and
// ended, with everything below it, at clean-up.
import { spawn, spawnSync } from 'node:child_process';
import { waitFor, type Cleanup } from '@runit-ts/test-support';
import { command, runitPath, sv } from './commands.js';
import { childrenOf, cmdlineOf, isAlive, killAll, processesNaming, processesUnder } from './procfs.js';

export type Flavour = 'host' | 'process' | 'runit';
export const FLAVOURS: readonly Flavour[] = ['host', 'process', 'runit'];

export interface Tree {
  flavour: Flavour;
  pid: number;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The processes runsvdir started: the service host, or one runsv per service. */
  supervisors(): number[];
}

export interface TreeOptions {
  /** Shell commands run in runsvdir's process before it execs runsvdir (e.g. `ulimit -n 32`). */
  before?: string;
  env?: NodeJS.ProcessEnv;
  /** Directories whose processes belong to this tree, for the clean-up (the services' dirs). */
  dirs: string[];
}

export function startTree(cleanup: Cleanup, flavour: Flavour, svdir: string, options: TreeOptions): Tree {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...options.env };
  if (flavour === 'runit') env.PATH = runitPath();
  if (flavour === 'process') env.RUNIT_TS_RUNSVDIR_MODE = 'process';
  let argv = [...command(flavour === 'runit' ? 'runit' : 'ours', 'runsvdir'), svdir];
  if (options.before !== undefined) argv = ['/bin/sh', '-c', `${options.before}; exec "$@"`, 'sh', ...argv];
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const pid = child.pid!;
  cleanup.add(async () => {
    child.stderr!.destroy();
    // runsvdir, what it started (the host, runsv's, also those a runsvdir killed before left) and
    // everything working under the dirs
    const pids = [pid, ...childrenOf(pid), ...processesNaming(svdir), ...processesUnder(options.dirs)];
    killAll(pids);
    // gone before the dirs are removed: a dying supervisor may still be writing in supervise/
    await waitFor(() => pids.every((p) => !isAlive(p)), 'the tree gone');
  });
  return {
    flavour,
    pid,
    stderr: () => stderr,
    exit,
    supervisors: () => childrenOf(pid).filter((c) => /^(runsvdir-host|runsv)\b|runsv\.cjs|\/runsv\0/.test(cmdlineOf(c))),
  };
}

/** runit's sv on these dirs: its stdout, stderr and exit code. */
export function runSv(args: string[]): { stdout: string; stderr: string; code: number | null } {
  const result = spawnSync(sv(), args, { encoding: 'utf8', env: { PATH: process.env.PATH } });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

/** The pid `sv status` shows for a running service, or undefined (down, or no supervisor). */
export function runningPid(dir: string): number | undefined {
  const match = /^run: [^\n]*?: \(pid (\d+)\)/.exec(runSv(['status', dir]).stdout);
  return match ? Number(match[1]) : undefined;
}
