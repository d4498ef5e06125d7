// Bytes that are not UTF-8 in chpst's environment and in an envdir's files reach the program as they
// came, as with runit's chpst (Node alone would hand them on as U+FFFD). Compared byte for byte.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup } from '@runit-ts/test-support';
import { IMPLEMENTATIONS, PLAIN_PATH, chpstBinary, linkAs, type Implementation } from './helpers/commands.js';
import { writeEnvDir } from './helpers/fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const FILE_VALUE = Buffer.from([0x70, 0xff, 0x71, 0xe9, 0x0a, 0x6e]); // "p\377q\351", then a second line
const INHERITED = Buffer.from([0x80, 0x78]); // "\200x": a stray continuation byte

/** Runs `<command> -e env` or `envdir env` over a program that prints $V, $W and $NODE_OPTIONS. */
function programSees(implementation: Implementation, personality: 'chpst' | 'envdir'): Buffer {
  const dir = cleanup.tempDir(`chpst-bytes-${implementation}-`);
  writeEnvDir(join(dir, 'env'), { V: FILE_VALUE, NODE_OPTIONS: Buffer.from([0x2d, 0xe9]) });
  const binary = personality === 'chpst' ? chpstBinary(implementation) : linkAs(join(dir, 'bin'), 'envdir', chpstBinary(implementation));
  const args = personality === 'chpst' ? ['-e', 'env'] : ['env'];
  const script = 'W=$(printf "\\200x"); export W; exec "$@"';
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', binary, ...args, 'sh', '-c', 'printf "%s|%s|%s" "$V" "$W" "$NODE_OPTIONS"'], {
    cwd: dir,
    env: { PATH: PLAIN_PATH },
    timeout: 20_000,
  });
  expect(result.stderr.toString(), `${implementation} ${personality}: stderr`).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('chpst passes environment bytes that are not UTF-8 through untouched', () => {
  it.each(['chpst', 'envdir'] as const)('%s: an envdir file\'s bytes and an inherited variable\'s, as runit\'s', (personality) => {
    const expected = Buffer.concat([FILE_VALUE.subarray(0, 4), Buffer.from('|'), INHERITED, Buffer.from('|'), Buffer.from([0x2d, 0xe9])]);
    for (const implementation of IMPLEMENTATIONS) expect(programSees(implementation, personality), implementation).toEqual(expected);
  });
});
