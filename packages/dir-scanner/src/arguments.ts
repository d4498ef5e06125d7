// runsvdir's command line, parsed by runit's hand-made rules (one option word looked at, at most).

export interface RunsvdirArguments {
  /** -P: each runsv (here: each service's processes) in a session of its own. */
  newSession: boolean;
  svdir: string;
  /** The readproctitle log argument, when given. */
  log: string | undefined;
  /** The words before the log argument, as `ps` shows them. */
  shown: string[];
}

/**
 * runit looks at the first word only: `-P` (any word whose second character is `P`) sets new
 * sessions and is consumed, `--…` is consumed, and any other `-x` is taken as the directory.
 * Returns undefined for the usage message.
 */
export function parseRunsvdirArguments(args: readonly string[]): RunsvdirArguments | undefined {
  let index = 0;
  let newSession = false;
  const first = args[0];
  if (first === undefined) return undefined;
  if (first.startsWith('-')) {
    if (first[1] === 'P') newSession = true;
    if (first[1] === 'P' || first[1] === '-') index++;
    if (args[index] === undefined) return undefined;
  }
  const svdir = args[index]!;
  return { newSession, svdir, log: args[index + 1], shown: args.slice(0, index + 1) };
}
