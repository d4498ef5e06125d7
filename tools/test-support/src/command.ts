// Runs a command to its end as a real process and keeps what it printed: for tests of one-shot
// answers such as `--help` and usage errors.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CommandOutcome {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runCommand(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CommandOutcome {
  const result = spawnSync(file, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

/**
 * The launcher npm links for `command`: the package's `bin` entry, as an absolute path (whatever
 * file the launcher is, tests run what users run).
 */
export function launcherOf(packageJson: URL, command: string): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin?: Record<string, string> };
  const target = pkg.bin?.[command];
  if (target === undefined) throw new Error(`${fileURLToPath(packageJson)} has no bin entry for ${command}`);
  return fileURLToPath(new URL(target, packageJson));
}

/**
 * What `command --help` answers: runit's usage line, then where the manual is (`man 8 command`, or
 * `man -l` on the page's file), on stdout, exit 0.
 */
export const helpAnswer = (usage: string, command: string, pageFile: string): CommandOutcome => ({
  stdout: `${usage}\n\nmanual: man 8 ${command}, or man -l ${pageFile}\n`,
  stderr: '',
  code: 0,
});
