// The `config` file of an svlogd log dir (docs/runit-behaviour.md §5.4), parsed byte for byte as
// runit reads it.
import type { SvlogdPattern } from './svlogd-pattern.js';

export interface SvlogdUdpTarget {
  /** Dotted quad, each part taken modulo 256 as runit stores it. */
  address: string;
  /** 1..65535 (runit keeps the low 16 bits of the number it read). */
  port: number;
}

export interface SvlogdConfig {
  /** `s`: rotate when current reaches this many bytes; 0 = never by size. */
  maxSize: number;
  /** `n`: keep at most this many old files; 0 = never delete. */
  maxFiles: number;
  /** `N`: on a full disk, delete old files only while more than this many are left (only if N < n). */
  minFiles: number;
  /** `t`: rotate a non-empty current this many seconds after the last time rotation; 0 = never. */
  rotateSeconds: number;
  /** `!`: processor command run through `/bin/sh -c` on each rotated file. */
  processor: string | undefined;
  /** `u`/`U`: also (or only) send each selected line to this UDP target. */
  udp: SvlogdUdpTarget | undefined;
  /** `U` seen: lines go to UDP only (also when its address did not parse: then they go nowhere). */
  udpOnly: boolean;
  /** `p`: bytes written before every line, after the timestamp. */
  prefix: Uint8Array;
  /** `+`/`-`/`e`/`E` lines in file order. */
  patterns: SvlogdPattern[];
}

/** A line runit warns about while reading the config: `svlogd: warning: <message>: <detail>`. */
export interface SvlogdConfigWarning {
  message: 'unable to scan ip address' | 'unable to scan port number';
  detail: string;
}

export const SVLOGD_DEFAULTS: Readonly<SvlogdConfig> = Object.freeze({
  maxSize: 1_000_000,
  maxFiles: 10,
  minFiles: 10,
  rotateSeconds: 0,
  processor: undefined,
  udp: undefined,
  udpOnly: false,
  prefix: new Uint8Array(0),
  patterns: [],
});

const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DOT = 0x2e;
const COLON = 0x3a;
const ULONG_MASK = (1n << 64n) - 1n;
const decoder = new TextDecoder();

/** runit's scan_ulong: leading decimal digits (none = 0), wrapping like a 64-bit unsigned long. */
function scanUlong(bytes: Uint8Array, at: number): { value: bigint; length: number } {
  let value = 0n;
  let i = at;
  while (i < bytes.length && bytes[i]! - DIGIT_0 >= 0 && bytes[i]! - DIGIT_0 < 10) {
    value = (value * 10n + BigInt(bytes[i]! - DIGIT_0)) & ULONG_MASK;
    i++;
  }
  return { value, length: i - at };
}

/** A number with an optional unit letter right after its digits. */
function scanScaled(line: Uint8Array, units: Readonly<Record<string, bigint>>): number {
  const { value, length } = scanUlong(line, 1);
  const unit = length + 1 < line.length ? String.fromCharCode(line[length + 1]!) : '';
  return Number((value * (units[unit] ?? 1n)) & ULONG_MASK);
}

const SIZE_UNITS = { k: 1024n, m: 1024n * 1024n };
const TIME_UNITS = { m: 60n, h: 3600n };

/**
 * runit's ip4_scan: four dot-separated decimal numbers, each stored into `octets` as it is read
 * (so a failed scan leaves the earlier octets changed). Returns how many bytes it used, 0 on failure.
 */
function scanIp4(text: Uint8Array, at: number, octets: number[]): number {
  let i = at;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (text[i] !== DOT) return 0;
      i++;
    }
    const { value, length } = scanUlong(text, i);
    if (length === 0) return 0;
    octets[part] = Number(value & 0xffn);
    i += length;
  }
  return i - at;
}

/** Splits the text at `\n`; like runit, a last line of one byte without `\n` is not read. */
function configLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  for (let i = 0; i + 1 < bytes.length; i++) {
    let end = bytes.indexOf(NEWLINE, i);
    if (end === -1) end = bytes.length;
    lines.push(bytes.subarray(i, end));
    i = end;
  }
  return lines;
}

/** The part of a line runit sees as a C string: up to the first NUL. */
function cString(line: Uint8Array, from: number): Uint8Array {
  const nul = line.indexOf(0, from);
  return line.subarray(from, nul === -1 ? line.length : nul);
}

/**
 * Pattern lines are kept whole (NULs included) and runit walks them NUL by NUL, so a NUL inside a
 * pattern line starts another instruction whose first byte is its action.
 */
function patternInstructions(line: Uint8Array, into: SvlogdPattern[]): void {
  let at = 0;
  while (at <= line.length) {
    const segment = cString(line, at);
    const action = segment.length > 0 ? String.fromCharCode(segment[0]!) : '';
    if (action === '+' || action === '-' || action === 'e' || action === 'E') {
      into.push({ action, pattern: new Uint8Array(segment.subarray(1)) });
    }
    at += segment.length + 1;
  }
}

/** Parses a config file's bytes. Unknown lines, empty lines and `#` comments are ignored. */
export function parseSvlogdConfig(bytes: Uint8Array): { config: SvlogdConfig; warnings: SvlogdConfigWarning[] } {
  const config: SvlogdConfig = { ...SVLOGD_DEFAULTS, prefix: new Uint8Array(0), patterns: [] };
  const warnings: SvlogdConfigWarning[] = [];
  const octets = [0, 0, 0, 0];
  let port = 0;
  for (const whole of configLines(bytes)) {
    const directive = whole.length > 0 ? String.fromCharCode(whole[0]!) : '';
    const line = cString(whole, 0);
    switch (directive) {
      case '+':
      case '-':
      case 'e':
      case 'E':
        patternInstructions(whole, config.patterns);
        break;
      case 's':
        config.maxSize = scanScaled(line, SIZE_UNITS);
        break;
      case 'n':
        config.maxFiles = Number(scanUlong(line, 1).value);
        break;
      case 'N':
        config.minFiles = Number(scanUlong(line, 1).value);
        break;
      case 't':
        config.rotateSeconds = scanScaled(line, TIME_UNITS);
        break;
      case '!':
        if (whole.length > 1) config.processor = decoder.decode(line.subarray(1));
        break;
      case 'p':
        if (whole.length > 1) config.prefix = new Uint8Array(line.subarray(1));
        break;
      case 'U':
      case 'u': {
        if (directive === 'U') config.udpOnly = true;
        const used = scanIp4(line, 1, octets);
        if (used === 0) {
          warnings.push({ message: 'unable to scan ip address', detail: decoder.decode(line.subarray(1)) });
          break;
        }
        if (line[1 + used] === COLON) {
          const scanned = scanUlong(line, 2 + used).value;
          if (scanned === 0n) {
            warnings.push({ message: 'unable to scan port number', detail: decoder.decode(line.subarray(2 + used)) });
            break;
          }
          port = Number(scanned & 0xffffn);
        } else {
          port = 514;
        }
        break;
      }
      default:
        break;
    }
  }
  // runit keeps one address that u/U lines overwrite, and sends only while its port is not 0.
  if (port !== 0) config.udp = { address: octets.join('.'), port };
  return { config, warnings };
}
