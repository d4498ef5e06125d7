// The environment hand-off messages carry, as the processors of hosted logs get it: its exact bytes,
// each entry made once for the messages in a row that carry it.
import { describe, expect, it } from 'vitest';
import { messageEnvironment, type HandOffMessage } from '../src/hand-off.js';

const message = (env: string[]): HandOffMessage => ({ argv: ['svlogd', './main'], locked: [true], umask: 0o22, env });

describe('messageEnvironment', () => {
  it('gives each entry its bytes back, bytes that are not UTF-8 included', () => {
    const env = messageEnvironment(message(['PATH=/bin', Buffer.from([0x58, 0x3d, 0xff]).toString('latin1')]));
    expect(env.map((entry) => [...entry])).toEqual([[...Buffer.from('PATH=/bin')], [0x58, 0x3d, 0xff]]);
  });

  it('shares the entries a message carries with the previous one, and none can be changed', () => {
    const first = messageEnvironment(message(['PATH=/bin', 'PWD=/srv/a/log']));
    const second = messageEnvironment(message(['PATH=/bin', 'PWD=/srv/b/log']));
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(first.map(String)).toEqual(['PATH=/bin', 'PWD=/srv/a/log']);
    expect(second.map(String)).toEqual(['PATH=/bin', 'PWD=/srv/b/log']);
    expect(() => second.push(Buffer.from('A=1'))).toThrow(TypeError);
  });

  it('makes an entry again once a message came without it', () => {
    const first = messageEnvironment(message(['HOME=/']));
    messageEnvironment(message(['HOME=/root']));
    const third = messageEnvironment(message(['HOME=/']));
    expect(third[0]).not.toBe(first[0]);
    expect(third.map(String)).toEqual(['HOME=/']);
  });
});
