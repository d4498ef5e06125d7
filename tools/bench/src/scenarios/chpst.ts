// `chpst -u nobody true`: ours vs runit's chpst vs `node -e 0`.
import { compareCommand } from '../command-timing.js';
import type { Scenario } from '../scenario.js';

export const chpst: Scenario = {
  name: 'chpst',
  description: 'wall time of `chpst -u nobody true` (switch user, then exec), from spawn to exit, measured by the harness',
  async run(context) {
    const metric = await compareCommand(
      context,
      {
        id: 'chpst-u',
        label: 'chpst -u nobody true',
        args: ['-u', 'nobody', 'true'],
        ours: context.ours('chpst'),
        runit: context.runit('chpst'),
        note: 'no goal was set: it costs one Node start-up before the exec; compare with `node -e 0`.',
      },
      6,
      40,
    );
    return { metrics: [metric] };
  },
};
