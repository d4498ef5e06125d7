// A container's stop: from the stop request to the end of PID 1's namespace, with services that stop
// at once. Ours in container mode on SIGTERM (what `docker stop` sends), with runit's usual stage 3 and
// with a stage 3 that leaves the services to container mode's TERM, against runit's stop on
// `runit-init 0`, each in a fresh PID + mount namespace, in the same run.
import { bootWithServices, namespaceEnd } from '../pid1-boot.js';
import type { Flavour } from '../runsvdirs.js';
import { interleaveAll, rounds, type BenchContext, type Scenario } from '../scenario.js';
import { script } from '../service-dirs.js';

type Side = 'ours' | 'ours-term-all' | 'runit';

const flavourOf = (side: Side): Flavour => (side === 'runit' ? 'runit' : 'ours');

/** Our container file (its default grace, 5 s, is only a bound here); for one side, a stage 3 that does nothing. */
const EXTRA_ETC: Record<Side, Record<string, string>> = {
  ours: { container: '' },
  'ours-term-all': { container: '', '3': script('true') },
  runit: {},
};

async function bootAndStop(context: BenchContext, side: Side, round: number): Promise<number> {
  const flavour = flavourOf(side);
  const booted = await bootWithServices(context, { flavour, round, label: `container-stop-${side}`, etc: EXTRA_ETC[side] });
  const t0 = performance.now();
  // the stop request, run inside the namespace through nsenter on every side
  await booted.ns.startInside(flavour === 'ours' ? ['kill', '-TERM', '1'] : [booted.programs.runitInit, '0']);
  const ending = await namespaceEnd(booted, 120_000, 'the stop request');
  const expected = flavour === 'ours' ? ending.code === 0 : ending.signal === 'SIGINT';
  if (!expected) await booted.explain(new Error(`ended by ${ending.signal ?? `exit ${ending.code}`}`));
  return ending.at - t0;
}

export const containerStop: Scenario = {
  name: 'container-stop',
  description:
    'a container\'s stop: PID 1 of a fresh `unshare --pid --fork --mount-proc --mount` namespace with stage 2 runsvdir over 3 ' +
    'services (each `exec sleep`, stopping at once on TERM) with svlogd loggers, stage 3 `sv -w30 force-stop` + `sv exit`; ' +
    'from starting the stop request (through nsenter) to the namespace\'s end. Ours: container mode (/etc/runit/container), ' +
    '`kill -TERM 1`, PID 1 exits 0, once with that stage 3 and once with a stage 3 that does nothing (the services then get ' +
    'container mode\'s TERM to all); runit: `runit-init 0`, power-off by reboot(2)',
  async run(context) {
    if (process.getuid?.() !== 0) throw new Error('bench: container-stop needs root (PID namespaces, mounts)');
    const n = rounds(context, 2, 10);
    context.log(`container-stop: ${n} boots and stops of each`);
    let round = 0;
    const cycle = (side: Side) => () => bootAndStop(context, side, round++);
    const [ours, oursTermAll, runit] = await interleaveAll(n, [cycle('ours'), cycle('ours-term-all'), cycle('runit')]);
    return {
      metrics: [
        { id: 'container-stop', label: 'stop request to the container\'s end (services stop at once; sv in stage 3)', unit: 'ms', ours: ours!, runit: runit! },
        {
          id: 'container-stop-term-all',
          label: 'the same, ours with an empty stage 3 (TERM to all)',
          unit: 'ms',
          ours: oursTermAll!,
          runit: runit!,
          note: 'runit\'s figure is the same as above: runit with an empty stage 3 would KILL the services, not stop them',
        },
      ],
      details:
        'runit has no container mode: its stop is `runit-init 0` (or SIGCONT with stopit armed, `STOPSIGNAL SIGCONT`), after ' +
        'which it sends TERM to stage 2 and looks for its end once a second, runs stage 3, KILLs everything and powers off. ' +
        'Ours, in container mode, wakes on each process\'s exit: stage 2\'s, stage 3\'s, then the last process\'s, and exits ' +
        'with no fixed pause; its grace (5 s) is only a bound. With `sv -w30 force-stop` in stage 3, both sides also pay ' +
        'sv\'s 420 ms between its looks at the status (runit\'s sv; ours keeps the interval), and ours a Node start per sv. ' +
        'No goal was set for these.',
    };
  },
};
