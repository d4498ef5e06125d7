// The bytes of the environment this process was started with: Node decodes each variable as UTF-8
// (a byte that is not UTF-8 becomes U+FFFD), runit passes them on as they came.
import { readFileSync } from 'node:fs';
import { nulSeparated } from './raw-text.js';

/** Each entry that is not UTF-8, keyed by the "NAME=value" string Node made of it. */
let undecodable: Map<string, Buffer> | undefined;

/**
 * Reads the environment the kernel handed this process (/proc/self/environ: what execve was given,
 * whatever the process has set or unset since). Called at start-up, before anything can chroot;
 * without /proc every entry is taken as Node decoded it.
 */
export function takeRawEnvironment(): void {
  undecodable = new Map();
  let bytes: Buffer;
  try {
    bytes = readFileSync('/proc/self/environ');
  } catch {
    return;
  }
  for (const entry of nulSeparated(bytes)) {
    const text = entry.toString('utf8');
    if (!entry.equals(Buffer.from(text, 'utf8'))) undecodable.set(text, Buffer.from(entry));
  }
}

/**
 * The bytes "NAME=value" had when the process started, when Node could not decode them and the
 * variable still holds what Node made of them; otherwise the entry itself.
 */
export function asStarted(entry: string): string | Buffer {
  if (undecodable === undefined) takeRawEnvironment();
  return undecodable!.get(entry) ?? entry;
}
