// PID 1: from the namespace's start to every example service running, and from `runit-init 0` to the
// namespace's end (reboot(2) as power-off), ours vs runit, each in a fresh PID + mount namespace.
import { bootWithServices, namespaceEnd } from '../pid1-boot.js';
import type { Flavour } from '../runsvdirs.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';

interface Cycle {
  bootMs: number;
  haltMs: number;
}

async function bootAndHalt(context: BenchContext, flavour: Flavour, round: number): Promise<Cycle> {
  const booted = await bootWithServices(context, { flavour, round, label: 'pid1' });
  const t1 = performance.now();
  await booted.ns.startInside([booted.programs.runitInit, '0']);
  const ending = await namespaceEnd(booted, 120_000, 'runit-init 0');
  if (ending.signal !== 'SIGINT') await booted.explain(new Error(`ended by ${ending.signal ?? `exit ${ending.code}`}, not by power-off (SIGINT)`));
  return { bootMs: booted.upAt - booted.startedAt, haltMs: ending.at - t1 };
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
