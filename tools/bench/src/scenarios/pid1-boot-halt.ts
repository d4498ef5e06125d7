// PID 1: from the namespace's start to every example service running, and from `runit-init 0` to the
// namespace's end (reboot(2) as power-off), ours vs runit, each in a fresh PID + mount namespace.
import { dirname, join } from 'node:path';
import { PingFifo } from '../ping-fifo.js';
import { Pid1Namespace } from '../pid1-namespace.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';
import { script, writeService } from '../service-dirs.js';
import type { Flavour } from '../runsvdirs.js';

const SERVICES = ['alpha', 'beta', 'gamma'];

interface Cycle {
  bootMs: number;
  haltMs: number;
}

interface InitPrograms {
  runit: string;
  runitInit: string;
  /** Where runsvdir, runsv, sv and svlogd of this flavour are, first on PATH in stages 2 and 3. */
  bin: string;
}

function programs(context: BenchContext, flavour: Flavour): InitPrograms {
  if (flavour === 'ours') return { runit: context.ours('runit'), runitInit: context.ours('runit-init'), bin: dirname(context.ours('runsvdir')) };
  return { runit: context.runit('runit'), runitInit: context.runit('runit-init'), bin: dirname(context.runit('runsvdir')) };
}

async function bootAndHalt(context: BenchContext, flavour: Flavour, round: number): Promise<Cycle> {
  const p = programs(context, flavour);
  const dir = context.tempDir(`bench-pid1-${flavour}-`);
  const ping = new PingFifo(join(dir, 'ping'));
  const console = new PingFifo(join(dir, 'console'));
  context.cleanup.add(() => ping.close());
  context.cleanup.add(() => console.close());
  const svdir = join(dir, 'service');
  const names = SERVICES.map((name) => `${flavour}-${round}-${name}`);
  for (const name of names) writeService(svdir, { name, ping: ping.path, log: { kind: 'svlogd', svlogd: join(p.bin, 'svlogd') } });
  // our commands start with `#!/usr/bin/env node`: stages need node on PATH as well
  const path = `${p.bin}:${dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin`;
  const t0 = performance.now();
  const ns = new Pid1Namespace(context.cleanup, dir, {
    console: console.path,
    init: [p.runit],
    etc: {
      '1': script('true'),
      '2': script(`exec env - PATH=${path} runsvdir -P ${svdir}`),
      '3': script(`PATH=${path}`, `sv -w30 force-stop ${svdir}/*`, `sv exit ${svdir}/*`),
      nosync: '',
    },
  });
  const explain = async (error: unknown): Promise<never> => {
    throw new Error(`bench: ${flavour} as PID 1: ${(error as Error).message}\n--- console:\n${console.text()}`);
  };
  const up = await ping.all(names, t0, 120_000).catch(explain);
  const bootMs = Math.max(...[...up.values()].map((p) => p.at)) - t0;
  const t1 = performance.now();
  await ns.startInside([p.runitInit, '0']);
  let timer: NodeJS.Timeout | undefined;
  const ending = await Promise.race([
    ns.ended,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('still running 120 s after runit-init 0')), 120_000))),
  ])
    .catch(explain)
    .finally(() => clearTimeout(timer));
  if (ending.signal !== 'SIGINT') await explain(new Error(`ended by ${ending.signal ?? `exit ${ending.code}`}, not by power-off (SIGINT)`));
  return { bootMs, haltMs: ending.at - t1 };
}

export const pid1BootHalt: Scenario = {
  name: 'pid1-boot-halt',
  description:
    'runit as PID 1 of a fresh `unshare --pid --fork --mount-proc --mount` namespace (a temp dir over /etc/runit, nosync): ' +
    'stage 1 `true`, stage 2 runsvdir over 3 services with svlogd loggers, stage 3 `sv force-stop` + `sv exit`; boot = from ' +
    'starting unshare to the last service\'s ./run pinging; halt = from starting `runit-init 0` (through nsenter) to the namespace\'s end',
  async run(context) {
    if (process.getuid?.() !== 0) throw new Error('bench: pid1-boot-halt needs root (PID namespaces, mounts)');
    const n = rounds(context, 2, 10);
    context.log(`pid1-boot-halt: ${n} boots and halts of each`);
    let round = 0;
    const cycle = (flavour: Flavour) => () => bootAndHalt(context, flavour, round++);
    const [ours, runit] = await interleaveAll(n, [cycle('ours'), cycle('runit')]);
    return {
      metrics: [
        { id: 'pid1-boot', label: 'PID 1 start to all services running', unit: 'ms', ours: ours!.map((c) => c.bootMs), runit: runit!.map((c) => c.bootMs) },
        {
          id: 'pid1-halt',
          label: 'runit-init 0 to the namespace\'s end',
          unit: 'ms',
          ours: ours!.map((c) => c.haltMs),
          runit: runit!.map((c) => c.haltMs),
        },
      ],
      details:
        'Each side uses its own suite throughout: our runit, runit-init, runsvdir, sv and svlogd, or runit 2.1.2\'s (Debian: its ' +
        'runit-init is /lib/runit/runit-init, its stopit file /run/runit.stopit). No goal was set for these. runit\'s boot ' +
        'and halt times are bimodal, a second apart (after TERM to stage 2, runit checks for its end once a second; runit\'s ' +
        'tools look for some changes on one-second timers), so their medians depend on how the runs fall: read the spread below.',
    };
  },
};
