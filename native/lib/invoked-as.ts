// The name a command was run by, for runit's usage and fatal lines: one rule for every command.
import { basename, dirname, resolve } from 'node:path';

/** Where the launcher (bin/<command>, a sh script) passes its own $0; read and removed at start-up. */
export const ARGV0_VARIABLE = 'RUNIT_TS_ARGV0';

let launcherArgv0: string | undefined;

/** Takes the launcher's $0 out of the environment, so that no program started from here inherits it. */
export function takeLauncherArgv0(): void {
  const value = process.env[ARGV0_VARIABLE];
  if (value === undefined) return;
  launcherArgv0 = value === '' ? undefined : value;
  delete process.env[ARGV0_VARIABLE];
}

/**
 * The path the command was run by: the launcher's $0 (the kernel hands a #! script its own path,
 * not the argv[0] the user typed), else the script node was given (a daemon started as `node x.cjs`).
 */
export function invokedPath(): string | undefined {
  return launcherArgv0 ?? process.argv[1];
}

/**
 * argv[0] as runit prints it: the bare name when the command was found on PATH, else the path it was
 * run by. A bundle's `.cjs` never shows in the bare name.
 */
export function invokedAs(fallback: string, script = invokedPath(), path = process.env.PATH ?? ''): string {
  if (!script) return fallback;
  const name = basename(script).replace(/\.c?js$/, '');
  const onPath = path.split(':').some((entry) => entry !== '' && resolve(entry) === dirname(script));
  return onPath ? name : script;
}
