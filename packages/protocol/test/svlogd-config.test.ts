import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSvlogdConfig, SVLOGD_DEFAULTS } from '../src/index.js';

const parse = (text: string) => parseSvlogdConfig(Buffer.from(text, 'latin1'));
const config = (text: string) => parse(text).config;
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

// Lines that change nothing: comments, empty lines, unknown directives.
const inert = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => `#${s.replace(/\n/g, '')}`),
  fc.constant(''),
  fc.constantFrom('x', 'q1', 'S5', 'a b', ' s5', '\ts5', '0'),
);

describe('parseSvlogdConfig', () => {
  it('gives runit defaults for an empty config', () => {
    const { config: c, warnings } = parse('');
    expect(c).toEqual({ ...SVLOGD_DEFAULTS, prefix: new Uint8Array(0), patterns: [] });
    expect(c).toMatchObject({ maxSize: 1_000_000, maxFiles: 10, minFiles: 10, rotateSeconds: 0, udpOnly: false });
    expect(warnings).toEqual([]);
  });

  it('reads s with k and m suffixes, n, N and t with m and h suffixes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (n) => {
        expect(config(`s${n}\n`).maxSize).toBe(n);
        expect(config(`s${n}k\n`).maxSize).toBe(n * 1024);
        expect(config(`s${n}m\n`).maxSize).toBe(n * 1024 * 1024);
        expect(config(`s${n}x\n`).maxSize).toBe(n);
        expect(config(`n${n}\n`).maxFiles).toBe(n);
        expect(config(`N${n}\n`).minFiles).toBe(n);
        expect(config(`t${n}\n`).rotateSeconds).toBe(n);
        expect(config(`t${n}m\n`).rotateSeconds).toBe(n * 60);
        expect(config(`t${n}h\n`).rotateSeconds).toBe(n * 3600);
      }),
    );
  });

  it('reads only the leading digits, and none as 0', () => {
    expect(config('s\n').maxSize).toBe(0);
    expect(config('sk\n').maxSize).toBe(0);
    expect(config('s 100\n').maxSize).toBe(0);
    expect(config('s12ab\n').maxSize).toBe(12);
    expect(config('n-3\n').maxFiles).toBe(0);
    expect(config('t5d\n').rotateSeconds).toBe(5);
    expect(config('s1\u00002\n').maxSize).toBe(1);
  });

  it('lets a later line override an earlier one', () => {
    fc.assert(
      fc.property(fc.nat(99999), fc.nat(99999), (a, b) => {
        expect(config(`s${a}\ns${b}\n`).maxSize).toBe(b);
        expect(config(`!a${a}\n!b${b}\n`).processor).toBe(`b${b}`);
        expect(latin1(config(`pa${a}\npb${b}\n`).prefix)).toBe(`b${b}`);
      }),
    );
  });

  it('ignores comments, empty and unknown lines wherever they are', () => {
    const meaningful = ['s4096', 'n3', 'N1', 't2m', '!gzip', 'pPFX: ', '+a*', '-*b', 'e*err*', 'Ewarn*', 'u127.0.0.1:600'];
    fc.assert(
      fc.property(fc.array(inert, { maxLength: 12 }), fc.infiniteStream(fc.nat(99)), (noise, positions) => {
        const lines = [...meaningful];
        for (const line of noise) lines.splice(positions.next().value % (lines.length + 1), 0, line);
        expect(parse(`${lines.join('\n')}\n`)).toEqual(parse(`${meaningful.join('\n')}\n`));
      }),
    );
  });

  it('does not trim whitespace: a directive must be the first byte', () => {
    expect(config(' s5\n').maxSize).toBe(1_000_000);
    expect(latin1(config('p  two spaces \n').prefix)).toBe('  two spaces ');
    expect(config('! sh -c true\n').processor).toBe(' sh -c true');
  });

  it('skips a last line of one byte that has no newline, as runit does', () => {
    expect(config('-').patterns).toEqual([]);
    expect(config('s5\n-').patterns).toEqual([]);
    expect(config('-\n').patterns).toEqual([{ action: '-', pattern: new Uint8Array(0) }]);
    expect(config('s5').maxSize).toBe(5);
    expect(config('s5\ns7').maxSize).toBe(7);
  });

  it('keeps the processor and the prefix only when the line has more than the directive', () => {
    expect(config('!\n').processor).toBeUndefined();
    expect(config('!cat\n!\n').processor).toBe('cat');
    expect(latin1(config('pX\np\n').prefix)).toBe('X');
    // "!" followed by a NUL: runit stores an empty command, which still counts as a processor.
    expect(config('!\u0000rest\n').processor).toBe('');
  });

  it('keeps patterns in file order, as bytes, and splits pattern lines at NUL', () => {
    const c = config('+a*\n-*\u00ff*\ne*error*\nE*\n+x\u0000-y\u0000zz\n');
    expect(c.patterns.map((p) => [p.action, latin1(p.pattern)])).toEqual([
      ['+', 'a*'],
      ['-', '*\u00ff*'],
      ['e', '*error*'],
      ['E', '*'],
      ['+', 'x'],
      ['-', 'y'],
    ]);
  });

  it('round-trips any pattern bytes without NUL or newline', () => {
    const patternText = fc.string({ unit: fc.integer({ min: 1, max: 255 }).filter((b) => b !== 10).map((b) => String.fromCharCode(b)), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('+', '-', 'e', 'E'), patternText), { maxLength: 8 }), (list) => {
        const text = list.map(([a, p]) => `${a}${p}\n`).join('');
        expect(config(text).patterns.map((p) => [p.action, latin1(p.pattern)])).toEqual(list);
      }),
    );
  });

  it('cuts the prefix and processor at a NUL, as C strings', () => {
    expect(latin1(config('pab\u0000cd\n').prefix)).toBe('ab');
    expect(config('!cat\u0000 >/dev/null\n').processor).toBe('cat');
  });

  it('reads u and U targets, with port 514 by default', () => {
    expect(config('u127.0.0.1\n')).toMatchObject({ udp: { address: '127.0.0.1', port: 514 }, udpOnly: false });
    expect(config('U10.1.2.3:5140\n')).toMatchObject({ udp: { address: '10.1.2.3', port: 5140 }, udpOnly: true });
    expect(config('u1.2.3.4junk\n').udp).toEqual({ address: '1.2.3.4', port: 514 });
    fc.assert(
      fc.property(fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), (ip, port) => {
        expect(config(`u${ip.join('.')}:${port}\n`).udp).toEqual({ address: ip.join('.'), port });
      }),
    );
  });

  it('keeps octets modulo 256 and the port modulo 65536, like runit', () => {
    expect(config('u256.1.2.999:70000\n').udp).toEqual({ address: '0.1.2.231', port: 70000 - 65536 });
    // A port that is 0 in its low 16 bits turns UDP off without a warning.
    expect(parse('u1.2.3.4:65536\n')).toMatchObject({ config: { udp: undefined }, warnings: [] });
  });

  it('warns about an address or port it cannot scan, and keeps what it had', () => {
    const bad = parse('u1.2.3\n');
    expect(bad.warnings).toEqual([{ message: 'unable to scan ip address', detail: '1.2.3' }]);
    expect(bad.config.udp).toBeUndefined();
    const port0 = parse('u1.2.3.4:0\nu5.6.7.8:x\n');
    expect(port0.warnings).toEqual([
      { message: 'unable to scan port number', detail: '0' },
      { message: 'unable to scan port number', detail: 'x' },
    ]);
    expect(port0.config.udp).toBeUndefined();
    // The octets read before the failure stay changed: 1.2.3.4 becomes 9.9.3.4.
    expect(config('u1.2.3.4:99\nu9.9\n').udp).toEqual({ address: '9.9.3.4', port: 99 });
  });

  it('makes a U line with a bad address send nowhere (udp only, no target)', () => {
    const { config: c, warnings } = parse('Ugarbage\n');
    expect(c).toMatchObject({ udpOnly: true, udp: undefined });
    expect(warnings).toEqual([{ message: 'unable to scan ip address', detail: 'garbage' }]);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        const { config: c } = parseSvlogdConfig(raw);
        expect(Number.isFinite(c.maxSize)).toBe(true);
        expect(c.maxSize).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
