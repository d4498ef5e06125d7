// Service directories for the scenarios: a ./run that pings a FIFO and then sleeps, optionally with a
// logger (log/run running an svlogd) or runit-ts's hosted-log opt-in.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pingLine } from './ping-fifo.js';

export type LogKind =
  | { kind: 'none' }
  /** log/run execs this svlogd with -tt into log/main. */
  | { kind: 'svlogd'; svlogd: string }
  /** runit-ts only: a `hosted-log` file (svlogd's arguments), no log/; the service host writes main/. */
  | { kind: 'hosted' };

export interface ServiceSpec {
  name: string;
  /** The FIFO ./run reports itself to (see ping-fifo.ts). */
  ping: string;
  log?: LogKind;
}

/** The text ./run starts with; the harness greps the log for it. */
export const startedLine = (name: string): string => `${name} started`;

export const script = (...lines: string[]): string => `#!/bin/sh\n${lines.join('\n')}\n`;

export function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** Writes DIR/NAME with its ./run (and logger); returns the service dir. */
export function writeService(parent: string, spec: ServiceSpec): string {
  const dir = join(parent, spec.name);
  mkdirSync(dir, { recursive: true });
  // exec keeps the pid that pinged: the pid is the service's, for kill -9 and supervise/pid alike
  writeExecutable(join(dir, 'run'), script(pingLine(spec.ping, spec.name), `echo '${startedLine(spec.name)}'`, 'exec sleep 100000'));
  const log = spec.log ?? { kind: 'none' };
  if (log.kind === 'svlogd') {
    mkdirSync(join(dir, 'log', 'main'), { recursive: true });
    writeExecutable(join(dir, 'log', 'run'), script(`exec '${log.svlogd}' -tt ./main`));
  } else if (log.kind === 'hosted') {
    mkdirSync(join(dir, 'main'), { recursive: true });
    writeFileSync(join(dir, 'hosted-log'), '-tt ./main\n');
  }
  return dir;
}

/** Where a service's log lines land for this kind of logger, or undefined without one. */
export function logCurrent(serviceDir: string, log: LogKind): string | undefined {
  if (log.kind === 'svlogd') return join(serviceDir, 'log', 'main', 'current');
  if (log.kind === 'hosted') return join(serviceDir, 'main', 'current');
  return undefined;
}
