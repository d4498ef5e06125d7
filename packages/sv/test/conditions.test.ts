// The wait loop's conditions, one per byte sv sent (docs/runit-behaviour.md §4.5), on hand-made status records.
import { describe, expect, it } from 'vitest';
import { conditionsHold } from '../src/conditions.js';
import { taiLabel, type DecodedStatus } from '@runit-ts/protocol';
import { decodedStatus as status } from './helpers/status-bytes.js';

const START_MS = 1_700_000_000_500;
const START = taiLabel(START_MS);
const running = status({ pid: 5, state: 'run' });
const before = { stamp: { seconds: 1_699_999_999, nanoseconds: 0 } };

/** Runs the conditions with a check script that answers `passes`, counting its runs. */
function hold(bytes: string, record: DecodedStatus, passes = true): { held: boolean; checks: number } {
  let checks = 0;
  const held = conditionsHold(bytes, record, START, () => {
    checks++;
    return passes;
  });
  return { held, checks };
}

describe('conditionsHold', () => {
  it('x never holds while runsv runs', () => {
    expect(hold('x', status({})).held).toBe(false);
  });

  it('u needs a pid, state run and a passing check', () => {
    expect(hold('u', running)).toEqual({ held: true, checks: 1 });
    expect(hold('u', running, false)).toEqual({ held: false, checks: 1 });
    expect(hold('u', status({ pid: 5, state: 'finish' }))).toEqual({ held: false, checks: 0 });
    expect(hold('u', status({})).held).toBe(false);
  });

  it('d needs no pid and state down', () => {
    expect(hold('d', status({ wantUp: false })).held).toBe(true);
    expect(hold('d', running).held).toBe(false);
    expect(hold('d', status({ pid: 0, state: 'finish' })).held).toBe(false);
  });

  it('t and k hold when down and wanted down, else need a restart since sv started', () => {
    for (const byte of ['t', 'k']) {
      expect(hold(byte, status({ wantUp: false }))).toEqual({ held: true, checks: 0 });
      expect(hold(byte, running)).toEqual({ held: true, checks: 1 });
      expect(hold(byte, status({ pid: 5, state: 'run', ...before }))).toEqual({ held: false, checks: 0 });
      expect(hold(byte, status({ pid: 5, state: 'run', gotTerm: true }))).toEqual({ held: false, checks: 0 });
      expect(hold(byte, status({ wantUp: true })).held).toBe(false);
      expect(hold(byte, running, false).held).toBe(false);
    }
  });

  it('o fails for an old down state or a run not wanted down', () => {
    expect(hold('o', status({ ...before })).held).toBe(false);
    expect(hold('o', status({})).held).toBe(true);
    expect(hold('o', running).held).toBe(false);
    expect(hold('o', status({ pid: 5, state: 'run', wantUp: false })).held).toBe(true);
  });

  it('p and c follow the paused flag of a running service', () => {
    expect(hold('p', running).held).toBe(false);
    expect(hold('p', status({ pid: 5, state: 'run', paused: true })).held).toBe(true);
    expect(hold('p', status({})).held).toBe(true);
    expect(hold('c', status({ pid: 5, state: 'run', paused: true })).held).toBe(false);
    expect(hold('c', running).held).toBe(true);
  });

  it('C (check, runit 2.3.0) is d for a service wanted down, u for one wanted up', () => {
    expect(hold('C', status({ wantUp: false }))).toEqual({ held: true, checks: 0 });
    expect(hold('C', status({ pid: 5, state: 'run', wantUp: false }))).toEqual({ held: false, checks: 0 });
    expect(hold('C', status({ wantUp: true }))).toEqual({ held: false, checks: 0 });
    expect(hold('C', running)).toEqual({ held: true, checks: 1 });
    expect(hold('C', running, false)).toEqual({ held: false, checks: 1 });
    expect(hold('C', status({ pid: 5, state: 'finish' }))).toEqual({ held: false, checks: 0 });
  });

  it('signal bytes hold at once; every byte of a string must hold', () => {
    for (const byte of 'haiq12') expect(hold(byte, running)).toEqual({ held: true, checks: 0 });
    expect(hold('tcu', running)).toEqual({ held: true, checks: 2 });
    expect(hold('tc', status({ pid: 5, state: 'run', paused: true })).held).toBe(false);
  });
});
