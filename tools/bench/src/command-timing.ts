// Wall time of a short command, ours vs runit's vs `node -e 0` (the floor of any Node program), interleaved.
import { outputOf, timeCommand } from './processes.js';
import { interleaveAll, rounds, type BenchContext, type Goal, type Metric } from './scenario.js';

export interface CommandComparison {
  id: string;
  label: string;
  /** Arguments after the command name, the same for both. */
  args: string[];
  ours: string;
  runit: string;
  goal?: Goal;
  note?: string;
  /** Makes both outputs comparable (e.g. blanks out seconds); the check fails when they differ. */
  normalise?: (stdout: string) => string;
}

export const NODE_FLOOR_LABEL = 'node -e 0';

/** Runs each once and checks exit status (and output, when normalise is given) agree before timing. */
function checkSameResult(c: CommandComparison): void {
  const ours = outputOf(c.ours, c.args);
  const runit = outputOf(c.runit, c.args);
  const same = ours.status === runit.status && (!c.normalise || c.normalise(ours.stdout) === c.normalise(runit.stdout));
  if (!same) {
    throw new Error(
      `bench: ${c.label}: ours and runit's differ before timing:\n` +
        `ours (${ours.status}): ${ours.stdout}${ours.stderr}\nrunit (${runit.status}): ${runit.stdout}${runit.stderr}`,
    );
  }
  if (ours.status !== 0) throw new Error(`bench: ${c.label}: exit ${ours.status}: ${ours.stderr}`);
}

export async function compareCommand(context: BenchContext, c: CommandComparison, quickRounds: number, fullRounds: number): Promise<Metric> {
  checkSameResult(c);
  const n = rounds(context, quickRounds, fullRounds);
  const time = (file: string, args: string[]) => async () => timeCommand(file, args);
  const [ours, runit, node] = await interleaveAll(n, [time(c.ours, c.args), time(c.runit, c.args), time('node', ['-e', '0'])]);
  return {
    id: c.id,
    label: c.label,
    unit: 'ms',
    ours: ours!,
    runit: runit!,
    baseline: { label: NODE_FLOOR_LABEL, samples: node! },
    goal: c.goal,
    note: c.note,
  };
}
