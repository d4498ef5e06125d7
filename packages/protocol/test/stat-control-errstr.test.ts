import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROL_BYTES, controlCommand, formatPid, formatStat, runitErrorText } from '../src/index.js';

describe('stat and pid text', () => {
  it('lists state, paused, got TERM, then want unless down', () => {
    expect(formatStat({ state: 'run', paused: false, gotTerm: false, want: 'up' })).toBe('run\n');
    expect(formatStat({ state: 'run', paused: true, gotTerm: true, want: 'down' })).toBe('run, paused, got TERM, want down\n');
    expect(formatStat({ state: 'finish', paused: false, gotTerm: false, want: 'exit' })).toBe('finish, want exit\n');
    expect(formatStat({ state: 'down', paused: true, gotTerm: false, want: 'down' })).toBe('down, paused\n');
    expect(formatStat({ state: 'down', paused: false, gotTerm: false, want: 'exit' })).toBe('down\n');
  });

  it('is always one line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('down' as const, 'run' as const, 'finish' as const),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('up' as const, 'down' as const, 'exit' as const),
        (state, paused, gotTerm, want) => {
          const text = formatStat({ state, paused, gotTerm, want });
          expect(text.endsWith('\n')).toBe(true);
          expect(text.split('\n')).toHaveLength(2);
          expect(text.startsWith(state)).toBe(true);
        },
      ),
    );
  });

  it('writes the pid as decimal + newline, or nothing', () => {
    expect(formatPid(1234)).toBe('1234\n');
    expect(formatPid(0)).toBe('');
  });
});

describe('control bytes', () => {
  it('knows exactly runsv\'s fourteen bytes', () => {
    expect(Object.keys(CONTROL_BYTES).sort().join('')).toBe('12acdhikopqtux');
    expect(controlCommand('u'.charCodeAt(0))).toBe('up');
    expect(controlCommand('e'.charCodeAt(0))).toBeUndefined(); // 'e' is sv's alias, not runsv's
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (b) => {
        const known = '12acdhikopqtux'.includes(String.fromCharCode(b));
        expect(controlCommand(b) !== undefined).toBe(known);
      }),
    );
  });
});

describe('runit error strings', () => {
  it('gives djb texts, not strerror', () => {
    expect(runitErrorText('ENOENT')).toBe('file does not exist');
    expect(runitErrorText('EAGAIN')).toBe('temporary failure');
    expect(runitErrorText('EWOULDBLOCK')).toBe('temporary failure');
    expect(runitErrorText(13)).toBe('access denied');
    expect(runitErrorText(1)).toBe('permission denied');
    expect(runitErrorText({ code: 'ENXIO' })).toBe('device not configured');
    expect(runitErrorText(new Error('x'))).toBe('unknown error');
    expect(runitErrorText('ENOSPC')).toBe('out of disk space');
    expect(runitErrorText('EISDIR')).toBe('is a directory');
    expect(runitErrorText('ESRCH')).toBe('no such process');
    expect(runitErrorText('EINVAL')).toBe('invalid argument');
    expect(runitErrorText('ENOTDIR')).toBe('not a directory');
    expect(runitErrorText('EEXIST')).toBe('file already exists');
    expect(runitErrorText('EINTR')).toBe('interrupted system call');
  });
});
