// The option scanner behaves like djb's getopt that runit uses.
import { describe, expect, it } from 'vitest';
import { OptionScanner, type OptionStep } from '../src/getopt.js';

function scan(argv: string[], spec: string): { steps: OptionStep[]; rest: string[] } {
  const scanner = new OptionScanner(argv, spec);
  const steps: OptionStep[] = [];
  for (let step = scanner.next(); ; step = scanner.next()) {
    steps.push(step);
    if (step.kind !== 'option') break;
  }
  return { steps, rest: argv.slice(scanner.index) };
}

const option = (letter: string, argument = ''): OptionStep => ({ kind: 'option', option: letter, argument });
const DONE: OptionStep = { kind: 'done' };

describe('OptionScanner', () => {
  it('reads bundled flags and an attached argument', () => {
    expect(scan(['p', '-vPbname', 'prog', '-v'], 'vPb:')).toEqual({
      steps: [option('v'), option('P'), option('b', 'name'), DONE],
      rest: ['prog', '-v'],
    });
  });

  it('takes the next word as the argument, even when it starts with a dash or is empty', () => {
    expect(scan(['p', '-u', '-x', '-e', '', 'prog'], 'u:e:')).toEqual({
      steps: [option('u', '-x'), option('e', ''), DONE],
      rest: ['prog'],
    });
  });

  it('stops at the first operand; -- is consumed, a lone - is an operand', () => {
    expect(scan(['p', '-v', '--', '-v'], 'v').rest).toEqual(['-v']);
    expect(scan(['p', '--anything', 'x'], 'v').rest).toEqual(['x']);
    expect(scan(['p', '-', '-v'], 'v').rest).toEqual(['-', '-v']);
    expect(scan(['p'], 'v').rest).toEqual([]);
  });

  it('reports an unknown letter, and a missing argument at the end', () => {
    expect(scan(['p', '-vx'], 'v').steps).toEqual([option('v'), { kind: 'problem', option: 'x', missingArgument: false }]);
    expect(scan(['p', '-u'], 'u:').steps).toEqual([{ kind: 'problem', option: 'u', missingArgument: true }]);
    expect(scan(['p', '-:'], 'u:').steps).toEqual([{ kind: 'problem', option: ':', missingArgument: false }]);
  });
});
