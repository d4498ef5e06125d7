// Writes the bin, man and dependencies fields of packages/runit-ts/package.json (the package users
// install: `npm i -g runit-ts`) from the command packages' own package.json; --check only says
// whether the committed file differs (exit 1). The umbrella has no launcher of its own: each bin
// entry is the command package's own launcher inside the umbrella's node_modules, where npm puts a
// global package's dependencies, so `sv` on PATH is a link to @runit-ts/sv's launcher and runs
// exactly as that package's own `sv` does (same $0, same environment). Man pages likewise.
// Usage (repo root): node tools/scripts/umbrella.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const UMBRELLA = join(REPO, 'packages', 'runit-ts', 'package.json');

/** The packages whose commands the umbrella puts on PATH, in README order. */
export const COMMAND_PACKAGES = ['init', 'dir-scanner', 'supervisor', 'sv', 'logger', 'chpst'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const inside = (pkg, path) => `node_modules/${pkg}/${path.replace(/^\.\//, '')}`;

/** The umbrella's package.json as it must be, as text. */
export function umbrellaText() {
  const umbrella = readJson(UMBRELLA);
  const bin = {};
  const man = [];
  const dependencies = {};
  for (const dir of COMMAND_PACKAGES) {
    const { name, version, bin: bins = {}, man: pages = [] } = readJson(join(REPO, 'packages', dir, 'package.json'));
    dependencies[name] = version;
    for (const [command, target] of Object.entries(bins)) bin[command] = inside(name, target);
    for (const page of pages) man.push(inside(name, page));
  }
  return `${JSON.stringify({ ...umbrella, bin, man, dependencies }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const expected = umbrellaText();
  if (readFileSync(UMBRELLA, 'utf8') === expected) process.exit(0);
  if (process.argv.includes('--check')) {
    console.error(`umbrella: ${UMBRELLA} differs from the packages' bin and man fields (run: node tools/scripts/umbrella.mjs)`);
    process.exit(1);
  }
  writeFileSync(UMBRELLA, expected);
}
