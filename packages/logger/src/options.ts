// The library's options, checked once at the entry point; a bad value throws a TypeError naming it.
import { resolve } from 'node:path';
import { bytesOfText, withFsCredentials, type EnvEntry, type FsCredentials, type SpawnUser } from '@runit-ts/native';
import { copyToStderr, reportToStderr, type Report, type StderrCopy } from './diagnostics.js';
import type { TimestampFormat } from './stamp.js';

/** svlogd's line length when -l is not given (or is 0). */
export const DEFAULT_LINE_MAX = 1000;

export interface LoggerOptions {
  /** Line stamp: 'none' (default), 'tai64n' (svlogd -t), 'datetime' (-tt), 'iso8601' (-ttt). */
  timestamp?: TimestampFormat;
  /** svlogd -l: how many bytes of a line are replaced, matched and copied to stderr/UDP (default 1000). */
  lineMax?: number;
  /** svlogd -r: replace every byte outside 32..126 of those first bytes with this one (ASCII, or a byte kept by textOfBytes). */
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
  /**
   * The user the log dirs are written for, when it is not this process's: a process with root's
   * rights writing a log service's dirs for it (runsvdir's service host). Every file-system step in
   * the dirs is made with that user's rights (created files are theirs) and processors run as that
   * user, with its umask and environment.
   */
  owner?: LogOwner;
  /** Where a dir is reached, when not by its name from the working directory; messages name it as given. */
  locate?: (dir: string) => string;
}

export interface LogOwner extends FsCredentials {
  /** The environment processors get (svlogd passes on its own). */
  env: EnvEntry[];
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
  /** Runs a piece of file-system work in the dirs (with the owner's rights when there is one). */
  asOwner: <T>(work: () => T) => T;
  /** How processors are started: as the owner, with its umask and environment. */
  processorAs: { user?: SpawnUser; umask?: number; env?: EnvEntry[] };
  locate: (dir: string) => string;
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
  // a byte above 127 comes as the character textOfBytes keeps it as (U+DC80..U+DCFF)
  if (replaceWith !== undefined && (typeof replaceWith !== 'string' || !/^[\x01-\x7f\udc80-\udcff]$/.test(replaceWith))) {
    throw optionError('replaceWith', 'one ASCII character, or one byte as textOfBytes keeps it', replaceWith);
  }
  if (replaceChars !== undefined && typeof replaceChars !== 'string') throw optionError('replaceChars', 'a string', replaceChars);
  if (replaceWith === undefined && replaceChars === undefined) return { replaceByte: -1, replaceTable: NO_REPLACEMENT };
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = b < 32 || b > 126 ? 1 : 0;
  for (const b of bytesOfText(replaceChars ?? '')) table[b] = 1;
  return { replaceByte: bytesOfText(replaceWith ?? '_')[0]!, replaceTable: table };
}

/** Shared by every writer that replaces nothing (a service host may hold hundreds). */
const NO_REPLACEMENT = new Uint8Array(256);
const asItself = <T>(work: () => T): T => work();

function ownerSettings(owner: LogOwner | undefined): Pick<Settings, 'asOwner' | 'processorAs'> {
  if (owner === undefined) return { asOwner: asItself, processorAs: {} };
  const { uid, gid, groups, umask, env } = owner;
  if (![uid, gid, umask, ...groups].every((id) => Number.isInteger(id) && id >= 0) || !Array.isArray(env)) {
    throw optionError('owner', 'ids, groups, a umask and an environment', owner);
  }
  const credentials = { uid, gid, groups, umask };
  // root takes on the owner's ids (root's too: its umask and groups may differ); anyone else can only be the owner
  if (process.geteuid?.() !== 0) return { asOwner: asItself, processorAs: { umask, env } };
  return { asOwner: (work) => withFsCredentials(credentials, work), processorAs: { user: { uid, gid, groups }, umask, env } };
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
    ...ownerSettings(options.owner),
    locate: options.locate ?? ((dir) => resolve(dir)),
  };
}
