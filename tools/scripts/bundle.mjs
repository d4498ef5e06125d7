// Bundles a package's commands with esbuild into dist/<command>.cjs, one self-contained file each,
// and copies the native addon beside them when the command needs it.
// Usage (from a package dir): node ../../tools/scripts/bundle.mjs [--native] src/bin/a.ts [src/bin/b.ts ...]
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const withNative = args.includes('--native');
const entries = args.filter((a) => !a.startsWith('--'));
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
  // The addon is loaded at run time from beside the bundle, never bundled.
  external: ['*.node'],
  // Only the addon's loader needs import.meta.url; other bundles (sv) skip the banner's cost.
  ...(withNative
    ? {
        define: { 'import.meta.url': '__bundleUrl' },
        banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
      }
    : {}),
  legalComments: 'none',
  logLevel: 'warning',
});

if (withNative) {
  const addon = fileURLToPath(new URL('../../native/build/Release/runit_native.node', import.meta.url));
  if (!existsSync(addon)) {
    console.error(`bundle: ${addon} is missing; build @runit-ts/native first`);
    process.exit(1);
  }
  // Copy then rename: a daemon running from this dir has the old file mapped, and overwriting it in
  // place would change the code under its feet (a rebuild crashed a running PID 1 that way).
  const target = join(outdir, 'runit_native.node');
  copyFileSync(addon, `${target}.new`);
  renameSync(`${target}.new`, target);
}
