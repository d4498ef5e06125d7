// Bundles a package's commands with esbuild into dist/<command>.cjs, one self-contained file each.
// The native addon is not bundled nor copied: the bundle loads it through the @runit-ts/native package
// it resolves to (native/lib/load.ts), so an installation holds one addon.
// Usage (from a package dir): node ../../tools/scripts/bundle.mjs src/bin/a.ts [src/bin/b.ts ...]
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const entries = process.argv.slice(2);
const outdir = join(process.cwd(), 'dist');
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: Object.fromEntries(entries.map((entry) => [basename(entry, '.ts'), entry])),
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  conditions: ['runit-ts-source'],
  external: ['*.node'],
  define: {
    // node:url is loaded by Node's own start-up, so the banner costs nothing measurable.
    'import.meta.url': '__bundleUrl',
    // A command that cannot load the addon prints why and exits; a library throws (native/lib/load.ts).
    RUNIT_TS_COMMAND_BUNDLE: 'true',
  },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'warning',
});
