// svlogd's command line (getopt `R:r:l:b:tvV`, djb style: options stop at the first non-option).
import { basename } from 'node:path';
import * as msg from './messages.js';
import type { LoggerOptions } from './options.js';
import type { TimestampFormat } from './stamp.js';

export interface SvlogdInvocation {
  options: LoggerOptions;
  dirs: string[];
  /** -b: only checked (runit sizes its buffers with it). */
  bufferLength: number;
}

/** Either what to run, or what to print to stderr before exiting 111. */
export type ParsedArguments = { ok: true; invocation: SvlogdInvocation } | { ok: false; stderr: string };

const WITH_ARGUMENT = 'Rrlb';
const FLAGS = 'tvV';
const FORMATS: readonly TimestampFormat[] = ['none', 'tai64n', 'datetime', 'iso8601'];

/** runit's scan_ulong: the leading decimal digits, 0 when there are none. */
function scanNumber(text: string): number {
  const digits = /^[0-9]*/.exec(text)![0];
  return digits === '' ? 0 : Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
}

/** Parses argv (without node and the script); argv0 is the name usage shows. */
export function parseArguments(argv: readonly string[], argv0: string): ParsedArguments {
  const program = basename(argv0).replace(/\.c?js$/, '');
  const usage = (before = ''): ParsedArguments => ({ ok: false, stderr: before + msg.usage(argv0) });
  let timestamps = 0;
  let verbose = false;
  let replaceWith: string | undefined;
  let replaceChars: string | undefined;
  let lineMax = 1000;
  let bufferLength = 1024;
  let index = 0;
  scan: for (; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      index++;
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') break;
    for (let at = 1; at < arg.length; at++) {
      const option = arg[at]!;
      if (FLAGS.includes(option)) {
        if (option === 't') timestamps = Math.min(timestamps + 1, 3);
        else if (option === 'v') verbose = true;
        else return usage(msg.VERSION_LINE);
        continue;
      }
      if (!WITH_ARGUMENT.includes(option)) return usage(msg.illegalOption(program, option));
      let value = arg.slice(at + 1);
      if (value === '') {
        if (index + 1 >= argv.length) return usage(msg.missingArgument(program, option));
        value = argv[++index]!;
      }
      if (option === 'R') {
        replaceChars = value;
      } else if (option === 'r') {
        // Exactly one byte (runit compares single chars); anything else is a usage error.
        if (Buffer.byteLength(value) !== 1 || value === '\0') return usage();
        replaceWith = value;
      } else if (option === 'l') {
        lineMax = scanNumber(value) || 1000;
      } else {
        bufferLength = scanNumber(value) || 1024;
      }
      continue scan;
    }
  }
  const dirs = argv.slice(index);
  if (dirs.length === 0 || bufferLength <= lineMax) return usage();
  const options: LoggerOptions = { timestamp: FORMATS[timestamps]!, lineMax, verbose };
  if (replaceWith !== undefined) options.replaceWith = replaceWith;
  if (replaceChars !== undefined) options.replaceChars = replaceChars;
  return { ok: true, invocation: { options, dirs, bufferLength } };
}
