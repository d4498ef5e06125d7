// svlogd's arguments that are not UTF-8: a log dir so named is written and named in messages by its
// bytes, and -r and -R take single bytes above 127, as runit's svlogd does (Node alone would take
// them as U+FFFD).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup } from '@runit-ts/test-support';
import { IMPLEMENTATIONS, type Implementation } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** "l\377g": the log dir's name, as sh's printf writes it and as bytes. */
const ODD_NAME = 'l\\377g';
const ODD_BYTES = Buffer.from([0x6c, 0xff, 0x67]);

/** Runs `svlogd -v <dir>/l\377g` in a fresh dir over `input` (the name made by sh, so it reaches svlogd as bytes). */
function svlogdOver(implementation: Implementation, input: string, makeDir: boolean) {
  const root = cleanup.tempDir(`svlogd-bytes-${implementation.name}-`);
  const dir = Buffer.concat([Buffer.from(`${root}/`), ODD_BYTES]);
  if (makeDir) mkdirSync(dir);
  const result = spawnSync('/bin/sh', ['-c', `exec "$0" -v "$(printf '${ODD_NAME}')"`, implementation.command()], {
    cwd: root,
    input,
    env: { PATH: process.env.PATH },
    timeout: 20_000,
  });
  return { code: result.status, stderr: result.stderr, dir };
}

describe('svlogd on a log dir whose name is not UTF-8', () => {
  it('writes it and names it by its bytes, as runit\'s svlogd', () => {
    const [ours, reference] = IMPLEMENTATIONS.map((implementation) => svlogdOver(implementation, 'one\ntwo\n', true));
    for (const outcome of [ours!, reference!]) {
      expect(readFileSync(Buffer.concat([outcome.dir, Buffer.from('/current')])).toString()).toBe('one\ntwo\n');
      expect(outcome.code).toBe(0);
    }
    expect(ours!.stderr).toEqual(reference!.stderr);
    expect(ours!.stderr).toEqual(Buffer.concat([Buffer.from('svlogd: info: new: '), ODD_BYTES, Buffer.from('/current\nsvlogd: info: close: '), ODD_BYTES, Buffer.from('\n')]));
  });

  it('names a missing one by its bytes in its warning, as runit\'s svlogd', () => {
    const [ours, reference] = IMPLEMENTATIONS.map((implementation) => svlogdOver(implementation, 'x\n', false));
    expect(ours!.code).toBe(reference!.code);
    expect(ours!.stderr).toEqual(reference!.stderr);
    expect(ours!.stderr.subarray(0, 50)).toEqual(Buffer.concat([Buffer.from('svlogd: warning: unable to open log directory: '), ODD_BYTES]));
  });
});

describe('svlogd -r and -R with bytes above 127', () => {
  it('replaces with the byte -r gives and also the bytes -R gives, as runit\'s svlogd', () => {
    const written = IMPLEMENTATIONS.map((implementation) => {
      const root = cleanup.tempDir(`svlogd-bytes-${implementation.name}-`);
      mkdirSync(`${root}/log`);
      const result = spawnSync('/bin/sh', ['-c', `exec "$0" -r "$(printf '\\351')" -R "$(printf 'a\\377')" log`, implementation.command()], {
        cwd: root,
        input: Buffer.from([0x61, 0x09, 0x62, 0xff, 0xe9, 0x63, 0x0a]),
        env: { PATH: process.env.PATH },
        timeout: 20_000,
      });
      expect(result.status, implementation.name).toBe(0);
      return readFileSync(`${root}/log/current`);
    });
    expect(written[0]).toEqual(written[1]);
    expect(written[0]).toEqual(Buffer.from([0xe9, 0xe9, 0x62, 0xe9, 0xe9, 0x63, 0x0a]));
  });
});
