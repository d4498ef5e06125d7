// argv[0] as runit prints it in usage and fatal lines, recovered for a Node script.
import { basename, dirname, resolve } from 'node:path';

/**
 * runit prints argv[0] as typed. A script's own argv[0] does not survive the kernel's #! handling,
 * so: the bare name when the script was found on PATH, else the path it was run by (as runsv does).
 */
export function invokedAs(fallback: string, script = process.argv[1], path = process.env.PATH ?? ''): string {
  if (!script) return fallback;
  const name = basename(script).replace(/\.c?js$/, '');
  const onPath = path.split(':').some((entry) => entry !== '' && resolve(entry) === dirname(script));
  return onPath ? name : script;
}
