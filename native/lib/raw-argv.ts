// The arguments as the kernel passed them: Node decodes process.argv as UTF-8 (a byte that is not
// UTF-8 becomes U+FFFD), runit's programs take the bytes. Read once at start-up, before anything
// (a process title) can overwrite the memory /proc/self/cmdline shows.
import { readFileSync } from 'node:fs';
import { nulSeparated, textOfBytes } from './raw-text.js';

/**
 * Puts the user's arguments (process.argv from index 2) back as the bytes they came as, each byte that
 * is not UTF-8 kept as U+DC00+byte (see raw-text.ts). node's command line is `node [options] script
 * args...`, so they are the last entries of /proc/self/cmdline. Without /proc, Node's are kept.
 */
export function takeRawArgv(argv: string[] = process.argv): void {
  const count = argv.length - 2;
  if (count <= 0) return;
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return;
  }
  const entries = nulSeparated(cmdline);
  if (entries.length < argv.length) return;
  entries.slice(entries.length - count).forEach((bytes, i) => (argv[i + 2] = textOfBytes(bytes)));
}
