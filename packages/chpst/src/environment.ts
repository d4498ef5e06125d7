// The program's environment, built as runit's pathexec does it: each change removes the first
// variable of that name (the last entry moves into its slot) and, when it sets a value, appends it.
import { bytesOfText, envArray, envEntryBytes, type EnvEntry } from '@runit-ts/native';
import type { EnvChange } from './envdir.js';

/**
 * "NAME=value" entries in the order the process received them, with the NODE_* variables our launcher
 * moved aside given back first, so that an envdir's NODE_OPTIONS file changes the program's own.
 */
export function currentEnvironment(env: NodeJS.ProcessEnv = process.env): EnvEntry[] {
  return envArray(env);
}

const EQUALS = 0x3d;

/** "name=value", as bytes when the value is. */
const joined = (name: string, value: string | Buffer): EnvEntry =>
  typeof value === 'string' ? `${name}=${value}` : Buffer.concat([bytesOfText(`${name}=`), value]);

/** Whether "NAME=value" has the name `key` (compared as bytes). */
const hasName = (entry: Buffer, key: Buffer): boolean =>
  entry.length > key.length && entry[key.length] === EQUALS && entry.subarray(0, key.length).equals(key);

/**
 * Applies changes in order. The name ends at the first `=` of "name=value", so a file called `A=B`
 * holding `c` replaces A with "A=B=c", and an empty file called `A=B` sets A to "B" — as in runit.
 */
export function applyEnvChanges(environment: readonly EnvEntry[], changes: readonly EnvChange[]): EnvEntry[] {
  const result = [...environment];
  for (const change of changes) {
    const entry = change.value === null ? change.name : joined(change.name, change.value);
    const bytes = envEntryBytes(entry);
    const split = bytes.indexOf(EQUALS);
    const key = split < 0 ? bytes : bytes.subarray(0, split);
    const found = result.findIndex((existing) => hasName(envEntryBytes(existing), key));
    if (found >= 0) {
      const last = result.pop()!;
      if (found < result.length) result[found] = last;
    }
    if (split >= 0) result.push(entry);
  }
  return result;
}
