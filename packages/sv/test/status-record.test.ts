// runit's status line and the typed record, built from hand-made supervise/status records.
import { decodeStatus, type SuperviseStatus } from '@runit-ts/protocol';
import { describe, expect, it } from 'vitest';
import { processStatus, statusLine } from '../src/status-record.js';
import { decodedStatus as bytesOf, statusBytes } from './helpers/status-bytes.js';

const NOW_MS = 1_700_000_100_250;

describe('statusLine', () => {
  it.each<[string, Partial<SuperviseStatus>, boolean, string]>([
    ['running', { pid: 42, state: 'run' }, true, 'run: x: (pid 42) 100s'],
    ['running, normally down', { pid: 42, state: 'run' }, false, 'run: x: (pid 42) 100s, normally down'],
    ['down, normally up, want up', {}, true, 'down: x: 100s, normally up, want up'],
    ['down, normally down, want down', { wantUp: false }, false, 'down: x: 100s'],
    ['paused, want down, got TERM', { pid: 7, state: 'run', paused: true, wantUp: false, gotTerm: true }, true,
      'run: x: (pid 7) 100s, paused, want down, got TERM'],
    ['finish', { pid: 9, state: 'finish' }, true, 'finish: x: (pid 9) 100s'],
    ['all annotations that can meet', { pid: 7, state: 'run', paused: true, wantUp: false, gotTerm: true }, false,
      'run: x: (pid 7) 100s, normally down, paused, want down, got TERM'],
  ])('%s', (_title, fields, normallyUp, line) => {
    expect(statusLine('x', bytesOf(fields), NOW_MS, normallyUp)).toBe(line);
  });

  it('clamps a stamp in the future to 0 seconds', () => {
    expect(statusLine('x', bytesOf({ stamp: { seconds: 1_800_000_000, nanoseconds: 0 } }), NOW_MS, false)).toBe('down: x: 0s, want up');
  });

  it('prints garbage as runit does: no state word, a wrapped pid, a huge age', () => {
    const garbage = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 7, 120, 2, 9]);
    // Stamp 0 is 2^62 + 10 seconds before the TAI64 epoch: the age is the whole label of now.
    const age = (0x400000000000000an + BigInt(Math.floor(NOW_MS / 1000))).toString();
    expect(statusLine('x', decodeStatus(garbage), NOW_MS, true)).toBe(`x: (pid 18446744073709551615) ${age}s, paused, got TERM`);
  });
});

describe('status fields', () => {
  it('gives the --json record', () => {
    expect(processStatus('x', bytesOf({ pid: 42, state: 'run', paused: true, wantUp: false, gotTerm: true }), NOW_MS, false)).toEqual({
      name: 'x',
      state: 'run',
      pid: 42,
      seconds: 100,
      want: 'down',
      paused: true,
      got_term: true,
      normally_up: false,
    });
    expect(processStatus('log', bytesOf({}), NOW_MS, true)).toMatchObject({ name: 'log', state: 'down', pid: null, want: 'up' });
  });

  it('gives unknown where runit prints no word: a state byte above 2, a want byte other than u or d', () => {
    const odd = statusBytes({ pid: 42, state: 'run' });
    odd[19] = 9;
    odd[17] = 0x78;
    expect(processStatus('x', decodeStatus(odd), NOW_MS, true)).toMatchObject({ state: 'unknown', want: 'unknown' });
    expect(statusLine('x', decodeStatus(odd), NOW_MS, true)).toBe('x: (pid 42) 100s');
  });
});
