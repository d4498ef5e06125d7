// Writes each package's command launchers (bin/<command>, the targets of package.json "bin") from one
// template; with --check, only says which committed launcher differs from it (exit 1).
// A launcher is a POSIX sh script, not `#!/usr/bin/env node`: node must never act on an inherited
// NODE_OPTIONS (--inspect, --require) before our code runs. Why, in full: docs/security.md.
// Usage (repo root): node tools/scripts/launchers.mjs [--check]
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

// chpst's personalities run chpst's bundle, which picks one by the name it was run as.
const SHARED_BUNDLE = { envdir: 'chpst', envuidgid: 'chpst', pgrphack: 'chpst', setlock: 'chpst', setuidgid: 'chpst', softlimit: 'chpst' };

export function launcherText(command, pkg, bundle) {
  return `#!/bin/sh
# ${command} (${pkg}): runs dist/${bundle} with the node found on PATH. Written by
# tools/scripts/launchers.mjs from one template; why a sh script and not node: docs/security.md.
bundle=${bundle}
# node must not act on an inherited NODE_* variable (NODE_OPTIONS=--inspect or --require, ...):
# each moves to RUNIT_TS_SAVED_<its name> (older saved ones are dropped first), and runit-ts gives
# them back to every program it starts that is not one of its own Node daemons.
set -f
IFS='
'
exported=$(export -p)
for line in $exported; do
  name=\${line#export }
  name=\${name#declare -x }
  name=\${name%%=*}
  case $name in
    *[!A-Za-z0-9_]*) ;;
    RUNIT_TS_SAVED_NODE_*) unset "$name" ;;
  esac
done
for line in $exported; do
  name=\${line#export }
  name=\${name#declare -x }
  name=\${name%%=*}
  case $name in
    *[!A-Za-z0-9_]*) ;;
    NODE_*) eval "if [ -n \\"\\\${$name+set}\\" ]; then RUNIT_TS_SAVED_$name=\\$$name; export RUNIT_TS_SAVED_$name; unset $name; fi" ;;
  esac
done
node=$(command -v node) || { echo "$0: node: not found" >&2; exit 127; }
# Found while PATH is still the one the shell searches (it may be unset below).
launcher=$0
if [ -L "$launcher" ]; then launcher=$(readlink -f -- "$launcher"); fi
# The package's root: the launcher lives in its bin/, the bundle in its dist/.
case $launcher in
  */bin/*) root=\${launcher%/bin/*} ;;
  bin/*) root=. ;;
  *) root=.. ;;
esac
# The shell exports variables of its own (dash: PWD; busybox ash: PWD, SHLVL, PATH; bash: PWD,
# SHLVL): each one the launcher was not given is unset again (without /proc: kept). bash sets
# SHLVL again as it execs, so there env (found before PATH goes) drops it. The shell also reorders
# the environment: the names in the order given go along in RUNIT_TS_ENV_ORDER, and the program
# puts it back.
drop=
if [ -r /proc/$$/environ ]; then
  given=$(tr '\\0' '\\n' </proc/$$/environ)
  RUNIT_TS_ENV_ORDER=
  for line in $given; do
    RUNIT_TS_ENV_ORDER=$RUNIT_TS_ENV_ORDER\${line%%=*}$IFS
  done
  export RUNIT_TS_ENV_ORDER
  for name in PWD SHLVL PATH OLDPWD; do
    case "
$given" in
      *"
$name="*) ;;
      *) unset "$name"; [ "$name" = SHLVL ] && [ -n "\${BASH_VERSION:-}" ] && drop=$(command -v env) ;;
    esac
  done
fi
# The kernel gives a #! script only its own path: it is passed on as the name runit would print.
RUNIT_TS_ARGV0=$0
export RUNIT_TS_ARGV0
if [ -n "$drop" ]; then exec "$drop" -u SHLVL "$node" "$root/dist/$bundle" "$@"; fi
exec "$node" "$root/dist/$bundle" "$@"
`;
}

/** Every command of every package: { command, pkg, path, text }. */
export function expectedLaunchers() {
  const launchers = [];
  for (const dir of readdirSync(join(repo, 'packages')).sort()) {
    // the package users install has no launcher of its own: its bins link to these (umbrella.mjs)
    if (dir === 'runit-ts') continue;
    const manifest = join(repo, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name: pkg, bin = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [command, target] of Object.entries(bin)) {
      if (target !== `bin/${command}`) throw new Error(`${pkg}: bin ${command} must be "bin/${command}", not "${target}"`);
      const bundle = `${SHARED_BUNDLE[command] ?? command}.cjs`;
      launchers.push({ command, pkg, path: join(repo, 'packages', dir, target), text: launcherText(command, pkg, bundle) });
    }
  }
  return launchers;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const launcher of expectedLaunchers()) {
    const current = existsSync(launcher.path) ? readFileSync(launcher.path, 'utf8') : undefined;
    if (current === launcher.text) continue;
    if (check) {
      console.error(`launchers: ${launcher.path} differs from the template (run: node tools/scripts/launchers.mjs)`);
      stale++;
    } else {
      mkdirSync(dirname(launcher.path), { recursive: true });
      writeFileSync(launcher.path, launcher.text);
      chmodSync(launcher.path, 0o755);
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}
