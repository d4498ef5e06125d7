// sv's command line: runit's getopt("w:vV") (djb's: stops at the first non-option), SVDIR, SVWAIT.
import { illegalOption, missingArgument, VERSION_LINE } from './messages.js';

/** Where bare service names live when SVDIR is not set (Debian's place; upstream uses /service/). */
export const DEFAULT_SVDIR = '/etc/service';
export const DEFAULT_WAIT_SECONDS = 7;

export interface Invocation {
  /** Basename of the path sv was invoked as: `sv`, or the init-script name in LSB mode. */
  progname: string;
  lsb: boolean;
  verbose: boolean;
  waitSeconds: number;
  /** `--json` (ours): machine-readable status. */
  json: boolean;
  action: string;
  /** Service names exactly as typed (LSB mode: the progname). */
  services: string[];
  /** $SVDIR as given (may be empty, which fails like chdir("") does). */
  svdir: string;
}

export type CommandLine =
  | { kind: 'run'; invocation: Invocation }
  /** Print `stderr` then the usage message and exit with the usage code. */
  | { kind: 'usage'; progname: string; lsb: boolean; stderr: string };

/** djb's scan_ulong: the leading decimal digits; anything else (or nothing) reads as 0. */
export function scanUlong(text: string): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** Names under which sv is itself rather than an init script (a direct `node dist/sv.cjs` too). */
const SV_NAMES = new Set(['sv', 'sv.cjs', 'sv.js']);

export function programName(invokedAs: string | undefined): { progname: string; lsb: boolean } {
  const base = invokedAs === undefined ? 'sv' : invokedAs.slice(invokedAs.lastIndexOf('/') + 1);
  return SV_NAMES.has(base) ? { progname: 'sv', lsb: false } : { progname: base, lsb: true };
}

export const JSON_OPTION = '--json';

/**
 * Parses argv after the program path. `invokedAs` is the path sv was run as (process.argv[1]: Node
 * makes it absolute but keeps a symlink's own name, which is what LSB mode needs).
 */
export function parseCommandLine(invokedAs: string | undefined, args: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const { progname, lsb } = programName(invokedAs);
  const usage = (stderr = ''): CommandLine => ({ kind: 'usage', progname, lsb, stderr });
  let waitSeconds = env.SVWAIT === undefined ? DEFAULT_WAIT_SECONDS : scanUlong(env.SVWAIT);
  let verbose = false;
  let json = false;

  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index]!;
    if (arg[0] !== '-' || arg === '-') break;
    if (arg === '--') {
      index++;
      break;
    }
    if (arg === JSON_OPTION) {
      json = true;
      continue;
    }
    // runit's getopt reads any other `--word` as `--`; we refuse it (a mistyped long option).
    if (arg.startsWith('--')) return usage(illegalOption(progname, arg));
    for (let position = 1; position < arg.length; position++) {
      const letter = arg[position]!;
      if (letter === 'v') {
        verbose = true;
      } else if (letter === 'w') {
        let value: string | undefined = arg.slice(position + 1);
        if (value === '') value = args[++index];
        if (value === undefined) return usage(missingArgument(progname, letter));
        waitSeconds = scanUlong(value);
        verbose = true;
        break;
      } else if (letter === 'V') {
        return usage(VERSION_LINE);
      } else {
        return usage(illegalOption(progname, letter));
      }
    }
  }

  const action = args[index++];
  if (action === undefined) return usage();
  let services = lsb ? [progname] : args.slice(index);
  if (!lsb && services[0] === JSON_OPTION && action[0] === 's') {
    json = true;
    services = services.slice(1);
  }
  if (services.length === 0) return usage();
  const svdir = env.SVDIR ?? DEFAULT_SVDIR;
  return { kind: 'run', invocation: { progname, lsb, verbose, waitSeconds, json, action, services, svdir } };
}
