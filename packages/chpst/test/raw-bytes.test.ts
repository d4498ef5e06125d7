// Bytes that are not UTF-8 in chpst's environment, in an envdir's files and names, and in its own
// arguments reach the program (and chpst's messages) as they came, as with runit's chpst (Node alone
// would take them as U+FFFD). Compared byte for byte.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
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

describe('chpst\'s own arguments that are not UTF-8', () => {
  /** `chpst -e e\377 <program>` in a fresh dir where e\377 holds a file named V\351 and one named A. */
  function run(implementation: Implementation, envDir: string, program: string[]) {
    const dir = cleanup.tempDir(`chpst-bytes-${implementation}-`);
    const odd = Buffer.from([0x65, 0xff]); // "e\377"
    mkdirSync(Buffer.concat([Buffer.from(`${dir}/`), odd]));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), odd, Buffer.from([0x2f, 0x56, 0xe9])]), Buffer.from([0x78, 0xe9, 0x79]));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), odd, Buffer.from('/A')]), 'v');
    const programDir = Buffer.concat([Buffer.from(`${dir}/p`), Buffer.from([0xff])]);
    mkdirSync(programDir);
    writeFileSync(Buffer.concat([programDir, Buffer.from('/prog')]), '#!/bin/sh\nprintf "%s" "$0"\n');
    chmodSync(Buffer.concat([programDir, Buffer.from('/prog')]), 0o755);
    const result = spawnSync('/bin/sh', ['-c', `exec "$0" -e "$(printf '${envDir}')" "$@"`, chpstBinary(implementation), ...program], {
      cwd: dir,
      env: { PATH: PLAIN_PATH },
      timeout: 20_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('an envdir, file names and a program path, as runit\'s chpst', () => {
    const [ours, runit] = IMPLEMENTATIONS.map((implementation) => run(implementation, 'e\\377', ['env', '-u', 'PWD']));
    expect(ours).toEqual(runit);
    expect(ours!.stdout.includes(Buffer.from([0x0a, 0x56, 0xe9, 0x3d, 0x78, 0xe9, 0x79, 0x0a]))).toBe(true);
    const [oursProgram, runitProgram] = IMPLEMENTATIONS.map((implementation) => run(implementation, 'e\\377', ['sh', '-c', 'exec "./$(printf "p\\377")/prog"']));
    expect(oursProgram).toEqual(runitProgram);
    expect(oursProgram!.stdout).toEqual(Buffer.from([0x2e, 0x2f, 0x70, 0xff, ...Buffer.from('/prog')]));
  });

  it('names a missing envdir by its bytes, as runit\'s chpst', () => {
    const [ours, runit] = IMPLEMENTATIONS.map((implementation) => run(implementation, 'm\\377', ['true']));
    expect(ours).toEqual(runit);
    expect(ours!.code).toBe(111);
    expect(ours!.stderr.includes(Buffer.from([0x3a, 0x20, 0x6d, 0xff, 0x3a]))).toBe(true);
  });
});
