// chpst's entry: pick the personality from argv[0], read the command line, run the plan.
import { parseChpstArgs } from './chpst-options.js';
import { invocationOf } from './invocation.js';
import { chpstText } from './messages.js';
import { reportEnd } from './outcome.js';
import { parsePersonalityArgs } from './personalities.js';
import { runPlan } from './run-plan.js';

/**
 * Runs chpst with argv (argv[0] = the name it was called by). Never returns when the program is
 * exec'd; otherwise prints runit's message and returns the exit code.
 */
export function chpstMain(argv: readonly string[]): number {
  const invocation = invocationOf(argv[0] ?? 'chpst');
  try {
    const plan = invocation.personality
      ? parsePersonalityArgs(argv, invocation, invocation.personality)
      : parseChpstArgs(argv, invocation);
    return runPlan(plan);
  } catch (error) {
    return reportEnd(error, chpstText.internal);
  }
}
