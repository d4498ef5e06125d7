// Service directories for tests, and reading what their supervisors wrote.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceSpec {
  /** Body of ./run after `#!/bin/sh` (default: report and sleep). */
  run?: string | null;
  runMode?: number;
  /** Body of log/run; when given, log/ exists. */
  log?: string;
  down?: boolean;
}

/** Long enough to outlive any test, short enough that a leftover ends by itself. */
export const FOREVER = 'exec sleep 600';

export function makeService(parent: string, name: string, spec: ServiceSpec = {}): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  if (spec.run !== null) {
    writeFileSync(join(dir, 'run'), `#!/bin/sh\n${spec.run ?? FOREVER}\n`);
    chmodSync(join(dir, 'run'), spec.runMode ?? 0o755);
  }
  if (spec.log !== undefined) {
    mkdirSync(join(dir, 'log'));
    writeFileSync(join(dir, 'log', 'run'), `#!/bin/sh\n${spec.log}\n`);
    chmodSync(join(dir, 'log', 'run'), 0o755);
  }
  if (spec.down) writeFileSync(join(dir, 'down'), '');
  return dir;
}

/** The pid runsv (or our supervisor) wrote in supervise/pid: 0 when nothing runs or no file yet. */
export function supervisedPid(dir: string): number {
  try {
    return Number(readFileSync(join(dir, 'supervise', 'pid'), 'utf8').trim() || 0);
  } catch {
    return 0;
  }
}

export const isSupervised = (dir: string): boolean => existsSync(join(dir, 'supervise', 'status'));

/** A file's text, or '' while it does not exist yet. */
export function textOf(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
