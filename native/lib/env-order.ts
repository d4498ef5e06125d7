// The order of the environment as our launcher was given it: sh exports variables in an order of its
// own when it execs node, and runit's programs pass their environment on in the order they got it.

/** Where the launcher (bin/<command>) passes the names it was given, one a line, in order. */
export const ENV_ORDER_VARIABLE = 'RUNIT_TS_ENV_ORDER';

let rank: Map<string, number> | undefined;

/** Takes the launcher's list out of the environment (start-up), so that no program inherits it. */
export function takeLauncherEnvOrder(): void {
  const order = process.env[ENV_ORDER_VARIABLE];
  if (order === undefined) return;
  delete process.env[ENV_ORDER_VARIABLE];
  rank = new Map();
  for (const name of order.split('\n')) if (name !== '' && !rank.has(name)) rank.set(name, rank.size);
}

/**
 * "NAME=value" entries in the launcher's order; names it was not given follow, in their own order.
 * `rankOf` maps a name to the one it had when given (a NODE_* variable moved aside keeps its place).
 */
export function inLauncherOrder(entries: string[], rankOf: (name: string) => string = (name) => name): string[] {
  const ranks = rank;
  if (ranks === undefined) return entries;
  const keyed = entries.map((entry, index) => {
    const split = entry.indexOf('=');
    const given = ranks.get(rankOf(split < 0 ? entry : entry.slice(0, split)));
    return { entry, key: given ?? ranks.size + index };
  });
  return keyed.sort((a, b) => a.key - b.key).map(({ entry }) => entry);
}
