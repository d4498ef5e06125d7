// Which programs runsvdir starts: the runsv of the per-process mode and the service host, found beside
// this bundle, in the workspace, or on PATH; RUNIT_TS_RUNSV names another runsv (e.g. runit's own).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NodeVariables } from '@runit-ts/native';

/** A program as the addon's spawn takes it. */
export interface Program {
  file: string;
  /** argv before the program's own arguments (argv[0] included). */
  argv: string[];
  /** Search PATH for `file` (runit's pathexec). */
  search: boolean;
  /** One of runit-ts's Node daemons (run by this Node binary), not another program such as runit's runsv. */
  ours?: boolean;
  /** 'set-aside' for our own Node daemons: they must not see the NODE_* variables either. */
  nodeVariables?: NodeVariables;
}

/**
 * Flags for the Node processes runsvdir starts: no JIT, no V8 worker threads, and a young generation
 * capped at 1 MB per semi-space, so that starting hundreds of services at once cannot grow it by
 * megabytes that an idle host then keeps (see docs/decisions/0003). Without --no-expose-wasm,
 * --jitless prints a warning on every start (into the title log).
 */
export const DAEMON_NODE_FLAGS = [
  '--jitless',
  '--no-expose-wasm',
  '--v8-pool-size=0',
  '--max-semi-space-size=1',
  // Node 22.14 and later: no SIGUSR1 handler at all, not even during start-up (docs/security.md).
  ...(process.allowedNodeEnvironmentFlags.has('--disable-sigusr1') ? ['--disable-sigusr1'] : []),
];

/** A script run by this same Node binary. */
export const nodeScript = (script: string): Program => ({
  file: process.execPath,
  argv: [process.execPath, ...DAEMON_NODE_FLAGS, script],
  search: false,
  ours: true,
  nodeVariables: 'set-aside',
});

/** The first of `candidates` (file URLs or paths relative to this module) that exists. */
export function firstExisting(candidates: string[]): string | undefined {
  for (const candidate of candidates) {
    const path = candidate.startsWith('/') ? candidate : fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The service-host script: beside the runsvdir bundle, or in this package's dist/ when run from source. */
export function hostScript(): string | undefined {
  return firstExisting(['./runsvdir-host.cjs', '../dist/runsvdir-host.cjs']);
}

/** Our runsv: beside this bundle (one-package installs), else the supervisor package's bundle. */
function ourRunsv(): string | undefined {
  const beside = firstExisting(['./runsv.cjs']);
  if (beside) return beside;
  try {
    const pkg = createRequire(import.meta.url).resolve('@runit-ts/supervisor/package.json');
    return firstExisting([pkg.replace(/package\.json$/, 'dist/runsv.cjs')]);
  } catch {
    return undefined;
  }
}

/**
 * The runsv for the per-process mode. `setting` (RUNIT_TS_RUNSV) is a path, or a bare name looked up
 * on PATH as runit does; unset means ours, or a `runsv` on PATH when ours cannot be found.
 */
export function runsvProgram(setting: string | undefined): Program {
  if (setting) {
    const search = !setting.includes('/');
    if (!search && /\.[cm]?js$/.test(setting)) return nodeScript(setting);
    return { file: setting, argv: ['runsv'], search };
  }
  const ours = ourRunsv();
  return ours ? nodeScript(ours) : { file: 'runsv', argv: ['runsv'], search: true };
}
