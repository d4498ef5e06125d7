// Polling for a condition with a deadline; tests wait for real state, never for fixed times.
import { readdirSync, readFileSync } from 'node:fs';

export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what = 'condition',
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * True until the process has ended all through: /proc/pid is gone, or it is a zombie with no thread
 * left. A multi-threaded process (any Node program) killed by a signal shows its first thread as a
 * zombie while the others are still exiting, and those hold its fds (FIFOs, locks) a while longer.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') return true;
    return readdirSync(`/proc/${pid}/task`).some((tid) => tid !== String(pid));
  } catch {
    return false;
  }
}

/**
 * A file's text, or '' while it does not exist yet: for probes that wait for a file some process is
 * about to create (a logger's output file exists only once its shell has opened it).
 */
export function textOnceCreated(path: string, encoding: BufferEncoding = 'utf8'): string {
  try {
    return readFileSync(path, encoding);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
