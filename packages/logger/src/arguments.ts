// svlogd's command line (getopt `R:r:l:b:tvV`, djb style: options stop at the first non-option),
// parsed once for the svlogd command and for the service host's hosted logs.
import { basename } from 'node:path';
import { bytesOfText } from '@runit-ts/native';
import { DEFAULT_LINE_MAX, type LoggerOptions } from './options.js';
import type { TimestampFormat } from './stamp.js';

export interface SvlogdInvocation {
  options: LoggerOptions;
  dirs: string[];
  /** -b: only checked against -l (runit sizes its buffers with it). */
  bufferLength: number;
}

/** Why svlogd refuses a command line: the command prints its usage message, a hosted log a warning. */
export type ArgumentProblem =
  | { kind: 'version' }
  | { kind: 'illegal-option'; option: string }
  | { kind: 'missing-argument'; option: string }
  /** -r must be exactly one byte, and not NUL (runit compares single chars). */
  | { kind: 'bad-replacement'; value: string }
  | { kind: 'no-dirs' }
  /** -b must be greater than -l. */
  | { kind: 'buffer-too-small'; bufferLength: number; lineMax: number };

export type ParsedArguments = { ok: true; invocation: SvlogdInvocation } | { ok: false; problem: ArgumentProblem };

const WITH_ARGUMENT = 'Rrlb';
const FLAGS = 'tvV';
const FORMATS: readonly TimestampFormat[] = ['none', 'tai64n', 'datetime', 'iso8601'];
const DEFAULT_BUFFER_LENGTH = 1024;

/** runit's scan_ulong: the leading decimal digits, 0 when there are none. */
function scanNumber(text: string): number {
  const digits = /^[0-9]*/.exec(text)![0];
  return digits === '' ? 0 : Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
}

/** Parses svlogd's arguments (without the program name), as svlogd does. */
export function parseSvlogdArguments(argv: readonly string[]): ParsedArguments {
  const refuse = (problem: ArgumentProblem): ParsedArguments => ({ ok: false, problem });
  let timestamps = 0;
  let verbose = false;
  let replaceWith: string | undefined;
  let replaceChars: string | undefined;
  let lineMax = DEFAULT_LINE_MAX;
  let bufferLength = DEFAULT_BUFFER_LENGTH;
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
        else return refuse({ kind: 'version' });
        continue;
      }
      if (!WITH_ARGUMENT.includes(option)) return refuse({ kind: 'illegal-option', option });
      let value = arg.slice(at + 1);
      if (value === '') {
        if (index + 1 >= argv.length) return refuse({ kind: 'missing-argument', option });
        value = argv[++index]!;
      }
      if (option === 'R') {
        replaceChars = value;
      } else if (option === 'r') {
        if (bytesOfText(value).length !== 1 || value === '\0') return refuse({ kind: 'bad-replacement', value });
        replaceWith = value;
      } else if (option === 'l') {
        lineMax = scanNumber(value) || DEFAULT_LINE_MAX;
      } else {
        bufferLength = scanNumber(value) || DEFAULT_BUFFER_LENGTH;
      }
      continue scan;
    }
  }
  const dirs = argv.slice(index);
  if (dirs.length === 0) return refuse({ kind: 'no-dirs' });
  if (bufferLength <= lineMax) return refuse({ kind: 'buffer-too-small', bufferLength, lineMax });
  const options: LoggerOptions = { timestamp: FORMATS[timestamps]!, lineMax, verbose };
  if (replaceWith !== undefined) options.replaceWith = replaceWith;
  if (replaceChars !== undefined) options.replaceChars = replaceChars;
  return { ok: true, invocation: { options, dirs, bufferLength } };
}
