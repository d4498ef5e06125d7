// A runsvdir under test, ours or runit's (which finds runit's runsv on PATH), over a services dir.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, stopTree, type Daemon } from './processes.js';
import type { BenchContext } from './scenario.js';

export type Flavour = 'ours' | 'runit';

/**
 * The environment a runsvdir of this flavour runs in: runit's must find runit's runsv (and sv) first on
 * PATH; ours runs with its defaults, whatever the shell running the bench has set.
 */
function flavourEnv(context: BenchContext, flavour: Flavour): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.RUNIT_TS_RUNSVDIR_MODE;
  delete env.RUNIT_TS_RUNSV;
  delete env.RUNIT_TS_HOSTED_SVLOGD;
  if (flavour === 'runit') env.PATH = `${join(context.refDir, 'usr/bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  return env;
}

export function startRunsvdir(context: BenchContext, flavour: Flavour, svdir: string): Daemon {
  mkdirSync(svdir, { recursive: true });
  const command = flavour === 'ours' ? context.ours('runsvdir') : context.runit('runsvdir');
  return startDaemon(context.cleanup, command, [svdir], { env: flavourEnv(context, flavour) });
}

/** runsvdir's SIGHUP: every service stopped (runit: each runsv takes its service and log down), then gone. */
export async function stopRunsvdir(daemon: Daemon): Promise<void> {
  await stopTree(daemon.pid, 'SIGHUP', 20_000);
}
