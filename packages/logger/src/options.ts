// The library's options, checked once at the entry point; a bad value throws a TypeError naming it.
import { copyToStderr, reportToStderr, type Report, type StderrCopy } from './diagnostics.js';
import type { TimestampFormat } from './stamp.js';

/** svlogd's line length when -l is not given (or is 0). */
export const DEFAULT_LINE_MAX = 1000;

export interface LoggerOptions {
  /** Line stamp: 'none' (default), 'tai64n' (svlogd -t), 'datetime' (-tt), 'iso8601' (-ttt). */
  timestamp?: TimestampFormat;
  /** svlogd -l: how many bytes of a line are replaced, matched and copied to stderr/UDP (default 1000). */
  lineMax?: number;
  /** svlogd -r: replace every byte outside 32..126 of those first bytes with this one (ASCII) character. */
  replaceWith?: string;
  /** svlogd -R: more characters to replace; given alone, they are replaced with `_`. */
  replaceChars?: string;
  /** svlogd -v: report opens, rotations, deletions and processor runs. */
  verbose?: boolean;
  /** Receives each diagnostic line; default: written to fd 2. */
  report?: Report;
  /** Receives the copies of `e`-selected lines; default: written to fd 2. */
  stderrCopy?: StderrCopy;
  /** Wait before retrying a failed write, rotation or processor start (runit: 3000 ms). */
  pauseMs?: number;
}

export interface Settings {
  timestamp: TimestampFormat;
  lineMax: number;
  /** The replacement byte, or -1 when lines are passed through untouched. */
  replaceByte: number;
  /** replaceTable[b] is 1 when byte b is replaced. */
  replaceTable: Uint8Array;
  verbose: boolean;
  report: Report;
  stderrCopy: StderrCopy;
  pauseMs: number;
}


const FORMATS: readonly TimestampFormat[] = ['none', 'tai64n', 'datetime', 'iso8601'];

function optionError(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new TypeError(`option "${name}" must be ${expected}, got ${shown} (${typeof value})`);
}

function positiveInteger(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw optionError(name, min === 0 ? 'a non-negative integer' : 'a positive integer', value);
  }
  return value;
}

function replacement(options: LoggerOptions): { replaceByte: number; replaceTable: Uint8Array } {
  const { replaceWith, replaceChars } = options;
  if (replaceWith !== undefined && (typeof replaceWith !== 'string' || !/^[\x01-\x7f]$/.test(replaceWith))) {
    throw optionError('replaceWith', 'one ASCII character', replaceWith);
  }
  if (replaceChars !== undefined && typeof replaceChars !== 'string') throw optionError('replaceChars', 'a string', replaceChars);
  const table = new Uint8Array(256);
  if (replaceWith === undefined && replaceChars === undefined) return { replaceByte: -1, replaceTable: table };
  for (let b = 0; b < 256; b++) table[b] = b < 32 || b > 126 ? 1 : 0;
  for (const b of Buffer.from(replaceChars ?? '')) table[b] = 1;
  return { replaceByte: (replaceWith ?? '_').charCodeAt(0), replaceTable: table };
}

export function normalizeOptions(options: LoggerOptions = {}): Settings {
  if (typeof options !== 'object' || options === null) throw optionError('options', 'an object', options);
  const timestamp = options.timestamp ?? 'none';
  if (!FORMATS.includes(timestamp)) throw optionError('timestamp', `one of ${FORMATS.join(', ')}`, timestamp);
  if (options.report !== undefined && typeof options.report !== 'function') throw optionError('report', 'a function', options.report);
  if (options.stderrCopy !== undefined && typeof options.stderrCopy !== 'function') {
    throw optionError('stderrCopy', 'a function', options.stderrCopy);
  }
  return {
    timestamp,
    lineMax: positiveInteger('lineMax', options.lineMax, DEFAULT_LINE_MAX),
    ...replacement(options),
    verbose: options.verbose === true,
    report: options.report ?? reportToStderr,
    stderrCopy: options.stderrCopy ?? copyToStderr,
    pauseMs: positiveInteger('pauseMs', options.pauseMs, 3000, 0),
  };
}
