// The programs the cases run: our built commands (run by this Node, as their bundles) and runit's.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary } from '@runit-ts/test-support';

const bundle = (pkg: string, name: string): string => {
  const path = fileURLToPath(new URL(`../../../packages/${pkg}/dist/${name}.cjs`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: build @runit-ts/${pkg} first`);
  return path;
};

export type Side = 'ours' | 'runit';

/** argv for one of the commands, ours (node + bundle) or runit's binary. */
export function command(side: Side, name: 'runsvdir' | 'runsv' | 'svlogd' | 'sv'): string[] {
  if (side === 'runit') return [referenceBinary(name)];
  const pkg = { runsvdir: 'dir-scanner', runsv: 'supervisor', svlogd: 'logger', sv: 'sv' }[name];
  return [process.execPath, bundle(pkg, name)];
}

/** A shell word list for log/run scripts. */
export const shellCommand = (argv: string[]): string => argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');

/** PATH with runit's binaries first (runit's runsvdir finds runsv there). */
export const runitPath = (): string => `${dirname(referenceBinary('runsv'))}:${process.env.PATH ?? '/usr/bin:/bin'}`;

/** runit's sv, always: the judge of what every supervisor shows. */
export const sv = (): string => referenceBinary('sv');
