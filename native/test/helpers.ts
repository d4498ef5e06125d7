// Test helpers: reading /proc, waiting for conditions, running a Node child that uses the built addon.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** A field of /proc/PID/status, e.g. SigIgn or SigBlk, as text. */
export function procStatusField(pid: number | 'self', field: string): string {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`no ${field} in /proc/${pid}/status`);
  return line.slice(field.length + 1).trim();
}

/** Process group and session of pid, from /proc/PID/stat. */
export function groupAndSession(pid: number | 'self'): { pgrp: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(fields[2]), session: Number(fields[3]) };
}

/** Whether fd of this process is close-on-exec, from the O_CLOEXEC bit of /proc/self/fdinfo/FD. */
export function isCloseOnExec(fd: number): boolean {
  const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!;
  return (parseInt(flags, 8) & 0o2000000) !== 0;
}

/** Runs an ES module snippet in a fresh Node with `n` bound to the built addon wrapper. */
export function runNode(code: string, options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const script = `import * as n from ${JSON.stringify(distIndex)};\n${code}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    input: options.input ?? '',
    env: options.env ?? process.env,
    cwd: options.cwd,
    timeout: 20_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Tests that need root say so loudly instead of skipping. */
export function requireRoot(): void {
  if (!isRoot()) throw new Error('this test needs root (CI runs as root)');
}
