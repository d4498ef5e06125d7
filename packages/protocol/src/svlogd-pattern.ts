// svlogd's pattern language (docs/runit-behaviour.md §5.4): matching a line's first `len` bytes and
// the +/-/e/E selection.

/** A `+`, `-`, `e` or `E` line of a log dir's config: the action and the pattern bytes after it. */
export interface SvlogdPattern {
  action: '+' | '-' | 'e' | 'E';
  pattern: Uint8Array;
}

const STAR = 0x2a; // '*'
const PLUS = 0x2b; // '+'

/**
 * Whether `pattern` matches line[start, end) as runit's pmatch does: an ordinary byte matches itself;
 * `*c` skips input up to the FIRST c (no backtracking) and `*` at the end matches the rest; `+c` matches
 * one or more c, and if the input ends while it consumes them the match succeeds whatever pattern is
 * left; the end of the pattern requires the end of the input.
 *
 * When `+c` meets the end of the input, runit compares c with the byte just past the line in its line
 * buffer (what an earlier, longer line left there): pass that byte as `after` to get runit's answer;
 * without it (-1) that comparison fails. A `+` that ends the pattern stands for `+` NUL (runit's
 * string terminator).
 */
export function matchPattern(pattern: Uint8Array, line: Uint8Array, start = 0, end = line.length, after = -1): boolean {
  let p = 0;
  let s = start;
  for (;;) {
    if (p >= pattern.length) return s === end;
    const c = pattern[p++]!;
    if (c === STAR) {
      if (p >= pattern.length) return true;
      const want = pattern[p]!;
      for (;;) {
        if (s === end) return false;
        if (line[s] === want) break;
        s++;
      }
      // The byte after `*` is matched next as a pattern byte of its own (it may be `*` or `+` again).
      continue;
    }
    if (c === PLUS) {
      const want = p < pattern.length ? pattern[p]! : 0;
      p++;
      if (s === end) return after === want;
      if (line[s] !== want) return false;
      for (;;) {
        if (s === end) return true;
        if (line[s] !== want) break;
        s++;
      }
      if (p > pattern.length) return false;
      continue;
    }
    if (s === end || line[s] !== c) return false;
    s++;
  }
}

/** Selection bits of one line: for the log file (default on) and for standard error (default off). */
export const SELECT_LOG = 1;
export const SELECT_STDERR = 2;

/**
 * Evaluates a dir's patterns over line[start, end) in file order; the last matching `+`/`-` decides
 * the log, the last matching `e`/`E` decides standard error. Returns SELECT_LOG | SELECT_STDERR bits.
 * `after`: see matchPattern.
 */
export function selectLine(patterns: readonly SvlogdPattern[], line: Uint8Array, start = 0, end = line.length, after = -1): number {
  let log = true;
  let stderr = false;
  for (const { action, pattern } of patterns) {
    if (action === '+' || action === '-') {
      if (matchPattern(pattern, line, start, end, after)) log = action === '+';
    } else if (matchPattern(pattern, line, start, end, after)) {
      stderr = action === 'e';
    }
  }
  return (log ? SELECT_LOG : 0) | (stderr ? SELECT_STDERR : 0);
}
