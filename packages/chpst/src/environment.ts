// The program's environment, built as runit's pathexec does it: each change removes the first
// variable of that name (the last entry moves into its slot) and, when it sets a value, appends it.
import { envArray } from '@runit-ts/native';
import type { EnvChange } from './envdir.js';

/**
 * "NAME=value" strings in the order the process received them, with the NODE_* variables our launcher
 * moved aside given back first, so that an envdir's NODE_OPTIONS file changes the program's own.
 */
export function currentEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return envArray(env);
}

/**
 * Applies changes in order. The name ends at the first `=` of "name=value", so a file called `A=B`
 * holding `c` replaces A with "A=B=c", and an empty file called `A=B` sets A to "B" — as in runit.
 */
export function applyEnvChanges(environment: readonly string[], changes: readonly EnvChange[]): string[] {
  const result = [...environment];
  for (const change of changes) {
    const entry = change.value === null ? change.name : `${change.name}=${change.value}`;
    const split = entry.indexOf('=');
    const key = split < 0 ? entry : entry.slice(0, split);
    const found = result.findIndex((existing) => existing.length > key.length && existing[key.length] === '=' && existing.startsWith(key));
    if (found >= 0) {
      const last = result.pop()!;
      if (found < result.length) result[found] = last;
    }
    if (split >= 0) result.push(entry);
  }
  return result;
}
