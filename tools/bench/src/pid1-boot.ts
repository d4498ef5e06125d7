// A PID 1 boot for the scenarios: our runit or runit's, in a fresh PID + mount namespace, stage 2
// runsvdir over a few services with svlogd loggers, stage 3 `sv force-stop` + `sv exit`, each side
// with its own suite; resolves once every service has pinged.
import { dirname, join } from 'node:path';
import { PingFifo } from './ping-fifo.js';
import { type Ending, Pid1Namespace } from './pid1-namespace.js';
import type { Flavour } from './runsvdirs.js';
import type { BenchContext } from './scenario.js';
import { script, writeService } from './service-dirs.js';

const SERVICES = ['alpha', 'beta', 'gamma'];

export interface InitPrograms {
  runit: string;
  runitInit: string;
  /** Where runsvdir, runsv, sv and svlogd of this flavour are, first on PATH in stages 2 and 3. */
  bin: string;
}

export function initPrograms(context: BenchContext, flavour: Flavour): InitPrograms {
  if (flavour === 'ours') return { runit: context.ours('runit'), runitInit: context.ours('runit-init'), bin: dirname(context.ours('runsvdir')) };
  return { runit: context.runit('runit'), runitInit: context.runit('runit-init'), bin: dirname(context.runit('runsvdir')) };
}

export interface BootedInit {
  ns: Pid1Namespace;
  programs: InitPrograms;
  /** performance.now() when unshare was started. */
  startedAt: number;
  /** performance.now() when the last service pinged. */
  upAt: number;
  /** Rejects with the console's last lines. */
  explain(error: unknown): Promise<never>;
}

export interface BootSpec {
  flavour: Flavour;
  round: number;
  /** Prefix of the temp dir and the service names. */
  label: string;
  /** Extra lines for stage 1 (e.g. arming stopit). */
  stage1?: string[];
  /** Extra files for /etc/runit (e.g. our container file, another stage 3). */
  etc?: Record<string, string>;
}

export async function bootWithServices(context: BenchContext, spec: BootSpec): Promise<BootedInit> {
  const { flavour } = spec;
  const programs = initPrograms(context, flavour);
  const dir = context.tempDir(`bench-${spec.label}-${flavour}-`);
  const ping = new PingFifo(join(dir, 'ping'));
  const console = new PingFifo(join(dir, 'console'));
  context.cleanup.add(() => ping.close());
  context.cleanup.add(() => console.close());
  const svdir = join(dir, 'service');
  const names = SERVICES.map((name) => `${flavour}-${spec.round}-${name}`);
  for (const name of names) writeService(svdir, { name, ping: ping.path, log: { kind: 'svlogd', svlogd: join(programs.bin, 'svlogd') } });
  // our launchers find node on PATH: stages need it there as well
  const path = `${programs.bin}:${dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin`;
  const startedAt = performance.now();
  const ns = new Pid1Namespace(context.cleanup, dir, {
    console: console.path,
    init: [programs.runit],
    etc: {
      '1': script(...(spec.stage1 ?? ['true'])),
      '2': script(`exec env - PATH=${path} runsvdir -P ${svdir}`),
      '3': script(`PATH=${path}`, `sv -w30 force-stop ${svdir}/*`, `sv exit ${svdir}/*`),
      nosync: '',
      ...spec.etc,
    },
  });
  const explain = async (error: unknown): Promise<never> => {
    throw new Error(`bench: ${flavour} as PID 1: ${(error as Error).message}\n--- console:\n${console.text()}`);
  };
  const up = await ping.all(names, startedAt, 120_000).catch(explain);
  return { ns, programs, startedAt, upAt: Math.max(...[...up.values()].map((p) => p.at)), explain };
}

/** The namespace's end, or a rejection after timeoutMs. */
export async function namespaceEnd(booted: BootedInit, timeoutMs: number, what: string): Promise<Ending> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    booted.ns.ended,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running ${timeoutMs / 1000} s after ${what}`)), timeoutMs))),
  ])
    .catch(booted.explain)
    .finally(() => clearTimeout(timer));
}
