// Every command word: which bytes it sends, whether it waits, whether a timeout kills
// (docs/runit-behaviour.md §4.1).
import { describe, expect, it } from 'vitest';
import { planFor, type Plan } from '../src/commands.js';

const control = (bytes: string, wait: boolean, kill = false): Plan => ({ act: 'control', bytes, wait, kill });

describe('planFor', () => {
  it.each<[string, Plan]>([
    ['status', { act: 'status', bytes: 's', wait: false, kill: false }],
    ['sxyz', { act: 'status', bytes: 's', wait: false, kill: false }],
    ['up', control('u', false)],
    ['upper', control('u', false)],
    ['down', control('d', false)],
    ['once', control('o', false)],
    ['pause', control('p', false)],
    ['cont', control('c', false)],
    ['hup', control('h', false)],
    ['alarm', control('a', false)],
    ['interrupt', control('i', false)],
    ['quit', control('q', false)],
    ['1', control('1', false)],
    ['2', control('2', false)],
    ['term', control('t', false)],
    ['kill', control('k', false)],
    ['exit', control('x', false)],
    ['e', control('x', false)],
    ['start', control('u', true)],
    ['stop', control('d', true)],
    ['reload', control('h', true)],
    ['restart', control('tcu', true)],
    ['try-restart', control('tc', true)],
    ['shutdown', control('x', true)],
    ['force-stop', control('d', true, true)],
    ['force-reload', control('tc', true, true)],
    ['force-restart', control('tcu', true, true)],
    ['force-shutdown', control('x', true, true)],
    ['check', { act: 'none', bytes: 'C', wait: true, kill: false }],
    ['X', control('x', true, true)],
    ['Exit', control('x', true, true)],
    ['Down', control('d', true, true)],
    ['Term', control('tc', true, true)],
  ])('%s (without -v)', (word, plan) => expect(planFor(word, false, false)).toEqual(plan));

  it('-v makes the short words wait, never status', () => {
    expect(planFor('up', true, false)).toEqual(control('u', true));
    expect(planFor('exit', true, false)).toEqual(control('x', true));
    expect(planFor('status', true, false)?.wait).toBe(false);
  });

  it.each(['', 'zap', 'rerun', 'r', 'f', 'force-other', 'C', 'U', 'S', '-', '3'])('%j is usage', (word) => {
    expect(planFor(word, false, false)).toBeUndefined();
  });

  it('LSB mode accepts only status among the s words', () => {
    expect(planFor('status', false, true)?.act).toBe('status');
    expect(planFor('sxyz', false, true)).toBeUndefined();
    expect(planFor('start', false, true)).toEqual(control('u', true));
  });
});
