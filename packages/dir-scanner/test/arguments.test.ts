// runsvdir's hand-made argument rules, quirks included.
import { describe, expect, it } from 'vitest';
import { parseRunsvdirArguments } from '../src/arguments.js';

describe('parseRunsvdirArguments', () => {
  it.each([
    [[], undefined],
    [['-P'], undefined],
    [['--'], undefined],
    [['/s'], { newSession: false, svdir: '/s', log: undefined, shown: ['/s'] }],
    [['-P', '/s', 'log: ....'], { newSession: true, svdir: '/s', log: 'log: ....', shown: ['-P', '/s'] }],
    [['--', '-P'], { newSession: false, svdir: '-P', log: undefined, shown: ['--', '-P'] }],
    [['-Pxyz', '/s'], { newSession: true, svdir: '/s', log: undefined, shown: ['-Pxyz', '/s'] }],
    [['-V', '/s'], { newSession: false, svdir: '-V', log: '/s', shown: ['-V'] }],
    [['-', '/s'], { newSession: false, svdir: '-', log: '/s', shown: ['-'] }],
  ])('%j', (args, expected) => {
    expect(parseRunsvdirArguments(args)).toEqual(expected);
  });
});
