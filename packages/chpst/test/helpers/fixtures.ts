// Files the tests build: envdirs, scripts, lock holders, minimal chroots.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Cleanup, waitFor } from '@runit-ts/test-support';

/** Writes an envdir: a string or bytes per file, null for a subdirectory. */
export function writeEnvDir(dir: string, files: Record<string, string | Uint8Array | null>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (content === null) mkdirSync(join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function writeScript(path: string, body: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The command name of pid as the kernel sees it (changes when it execs). */
export function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Starts `binary [args] sleep 1000` in the background (e.g. `chpst -L lock`) and waits until it
 * has become the sleep, i.e. everything before the exec (such as taking a lock) is done.
 */
export async function startSleeper(cleanup: Cleanup, binary: string, args: string[], cwd: string): Promise<number> {
  const child = spawn(binary, [...args, 'sleep', '1000'], { cwd, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${binary}`);
  // Cleanup runs last-in first-out: kill, then wait for the exit.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.add(() => exited);
  cleanup.killLater(pid);
  await waitFor(() => commandOf(pid) === 'sleep', `${binary} ${args.join(' ')} to exec sleep`, 20_000);
  return pid;
}

/** The shared libraries a dynamically linked binary loads, as ldd lists them. */
function librariesOf(binary: string): string[] {
  const result = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ldd ${binary} failed: ${result.stderr}`);
  return [...result.stdout.matchAll(/(\/\S+) \(0x/g)].map((match) => match[1]!);
}

/** A root dir holding copies of the given binaries and their libraries at the same paths. */
export function makeChroot(root: string, binaries: string[]): string {
  for (const file of new Set(binaries.flatMap((binary) => [binary, ...librariesOf(binary)]))) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file));
    chmodSync(join(root, file), 0o755);
  }
  return root;
}

/** Soft and hard limits by their /proc/<pid>/limits row name ("Max open files": ["100", "4096"]). */
export function parseLimits(text: string): Record<string, [string, string]> {
  const limits: Record<string, [string, string]> = {};
  for (const line of text.split('\n').slice(1)) {
    const match = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (match) limits[match[1]!] = [match[2]!, match[3]!];
  }
  return limits;
}
