import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPattern, SELECT_LOG, SELECT_STDERR, selectLine, type SvlogdPattern } from '../src/index.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const match = (pattern: string, line: string): boolean => matchPattern(bytes(pattern), bytes(line));

// Lines and patterns over a small alphabet so that wildcards meet their bytes often.
const small = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '*', '+', ' ', '\u0000', '\u00e9'), maxLength: 12 });
const literal = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '\u0000', '\u00e9'), maxLength: 12 });
const literalByte = fc.constantFrom('a', 'b', 'c', ' ', '\u00e9');

describe('matchPattern', () => {
  it('matches a pattern without * and + only against the identical line', () => {
    fc.assert(fc.property(literal, literal, (p, s) => {
      expect(match(p, s)).toBe(p === s);
    }));
    fc.assert(fc.property(literal, (p) => {
      expect(match(p, p)).toBe(true);
    }));
  });

  it('requires the end of the input at the end of the pattern', () => {
    fc.assert(fc.property(literal, literal.filter((t) => t.length > 0), (p, tail) => {
      expect(match(p, p + tail)).toBe(false);
    }));
  });

  it('lets * at the end match any rest, including none', () => {
    fc.assert(fc.property(small, (s) => {
      expect(match('*', s)).toBe(true);
    }));
    fc.assert(fc.property(literal, small, (p, s) => {
      expect(match(`${p}*`, p + s)).toBe(true);
    }));
    fc.assert(fc.property(literal, small, (p, s) => {
      expect(match(`${p}*`, s)).toBe(s.startsWith(p));
    }));
  });

  it('lets *c skip only to the FIRST c, without backtracking', () => {
    // "*c" then the end: the first c of the line must be its last byte.
    fc.assert(
      fc.property(literalByte, literal, (c, s) => {
        expect(match(`*${c}`, s)).toBe(s.includes(c) && s.indexOf(c) === s.length - 1);
      }),
    );
    expect(match('*ab', 'aab')).toBe(false);
    expect(match('*ab', 'xab')).toBe(true);
    expect(match('*a*', 'bbbaccc')).toBe(true);
    expect(match('*a', '')).toBe(false);
    expect(match('*x*', 'abc')).toBe(false);
  });

  it('lets +c match one or more c', () => {
    fc.assert(fc.property(literalByte, fc.integer({ min: 1, max: 20 }), (c, n) => {
      expect(match(`+${c}`, c.repeat(n))).toBe(true);
    }));
    fc.assert(fc.property(literalByte, (c) => {
      expect(match(`+${c}`, '')).toBe(false);
    }));
    expect(match('+ab', 'aaab')).toBe(true);
    expect(match('+ab', 'b')).toBe(false);
    expect(match('x+ y', 'x   y')).toBe(true);
    expect(match('x+ y', 'xy')).toBe(false);
  });

  it('succeeds when the input ends inside +c, whatever pattern is left (runit quirk)', () => {
    expect(match('+ab', 'aaa')).toBe(true);
    expect(match('+a*zzz', 'a')).toBe(true);
    fc.assert(fc.property(literalByte, fc.integer({ min: 1, max: 9 }), small, (c, n, rest) => {
      expect(match(`+${c}${rest}`, c.repeat(n))).toBe(true);
    }));
  });

  it('treats the byte after * as a pattern byte of its own', () => {
    // "**x": the first * skips to the first '*', the second * then skips to the first 'x'.
    expect(match('**x', 'ab*cx')).toBe(true);
    expect(match('**x', 'abcx')).toBe(false);
  });

  it('compares +c at the end of the input with the byte runit finds past the line', () => {
    const pattern = bytes('foo+ ');
    expect(matchPattern(pattern, bytes('foo'))).toBe(false);
    expect(matchPattern(pattern, bytes('foo'), 0, 3, 0x20)).toBe(true);
    expect(matchPattern(pattern, bytes('foo'), 0, 3, 0x61)).toBe(false);
    // Only an exhausted input looks past the end.
    fc.assert(
      fc.property(small, small, fc.integer({ min: -1, max: 255 }), (p, s, after) => {
        if (!p.includes('+')) expect(matchPattern(bytes(p), bytes(s), 0, s.length, after)).toBe(match(p, s));
      }),
    );
  });

  it('lets a + that ends the pattern match NUL bytes only', () => {
    expect(match('a+', 'a\u0000\u0000')).toBe(true);
    expect(match('a+', 'ab')).toBe(false);
    expect(match('a+', 'a')).toBe(false);
  });

  it('matches bytes, not characters, and only inside [start, end)', () => {
    const line = Buffer.from([0xff, 0x00, 0x61, 0x62, 0x0a]);
    expect(matchPattern(Buffer.from([0xff, 0x00, 0x61, 0x62]), line, 0, 4)).toBe(true);
    expect(matchPattern(bytes('ab'), line, 2, 4)).toBe(true);
    expect(matchPattern(bytes('a*'), line, 2, 3)).toBe(true);
    expect(matchPattern(bytes('ab'), line, 2, 3)).toBe(false);
  });

  it('never reads outside [start, end) and always answers', () => {
    fc.assert(
      fc.property(small, small, small, small, (p, before, s, after) => {
        const line = bytes(before + s + after);
        expect(matchPattern(bytes(p), line, before.length, before.length + s.length)).toBe(match(p, s));
      }),
    );
  });
});

describe('selectLine', () => {
  const pat = (action: SvlogdPattern['action'], pattern: string): SvlogdPattern => ({ action, pattern: bytes(pattern) });

  it('selects for the log and not for stderr when there are no patterns', () => {
    fc.assert(fc.property(small, (s) => {
      expect(selectLine([], bytes(s))).toBe(SELECT_LOG);
    }));
  });

  it('lets the LAST matching line win, separately for the log and for stderr', () => {
    const patterns = [pat('-', '*'), pat('+', 'keep*'), pat('-', 'keep out*'), pat('e', '*: error*'), pat('E', '*: error: ignored')];
    expect(selectLine(patterns, bytes('drop me'))).toBe(0);
    expect(selectLine(patterns, bytes('keep me'))).toBe(SELECT_LOG);
    expect(selectLine(patterns, bytes('keep out'))).toBe(0);
    expect(selectLine(patterns, bytes('keep: error here'))).toBe(SELECT_LOG | SELECT_STDERR);
    expect(selectLine(patterns, bytes('x: error: ignored'))).toBe(0);
    expect(selectLine(patterns, bytes('x: error: shown'))).toBe(SELECT_STDERR);
  });

  it('agrees with evaluating every pattern in order', () => {
    const action = fc.constantFrom<SvlogdPattern['action']>('+', '-', 'e', 'E');
    fc.assert(
      fc.property(fc.array(fc.tuple(action, small), { maxLength: 6 }), small, (list, s) => {
        const patterns = list.map(([a, p]) => pat(a, p));
        let log = true;
        let err = false;
        for (const { action: a, pattern } of patterns) {
          if (!matchPattern(pattern, bytes(s))) continue;
          if (a === '+' || a === '-') log = a === '+';
          else err = a === 'e';
        }
        expect(selectLine(patterns, bytes(s))).toBe((log ? SELECT_LOG : 0) | (err ? SELECT_STDERR : 0));
      }),
    );
  });
});
