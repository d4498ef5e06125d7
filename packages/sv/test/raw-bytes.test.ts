// sv on a service dir whose name is not UTF-8: it reaches runsv's supervise/, runs ./check there and
// prints the name by its bytes, as runit's sv does (Node alone would take the argument as U+FFFD). runit's runsv runs it.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { OUR_SV } from './helpers/run-sv.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** "b\377x": the service dir's name, as sh's printf writes it and as bytes. */
const ODD_NAME = 'b\\377x';
const ODD_BYTES = Buffer.from([0x62, 0xff, 0x78]);

/** `sv <args> ./b\377x` (the name made by sh) in root: its exit code and stdout, as bytes. */
function sv(binary: string, root: string, args: string[], name = ODD_NAME) {
  const result = spawnSync('/bin/sh', ['-c', `exec "$@" "./$(printf '${name}')"`, 'sh', binary, ...args], { cwd: root, env: { PATH: process.env.PATH }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout };
}

describe('sv on a service dir whose name is not UTF-8', () => {
  it('status and down reach runsv and print the name by its bytes, as runit\'s sv', async () => {
    const root = cleanup.tempDir('sv-bytes-');
    const dir = Buffer.concat([Buffer.from(`${root}/`), ODD_BYTES]);
    mkdirSync(dir);
    writeFileSync(Buffer.concat([dir, Buffer.from('/run')]), '#!/bin/sh\nexec sleep 1000\n');
    chmodSync(Buffer.concat([dir, Buffer.from('/run')]), 0o755);
    const runsv = spawn('/bin/sh', ['-c', `exec "$0" "$(printf '${ODD_NAME}')"`, referenceBinary('runsv')], { cwd: root, stdio: 'ignore', detached: true });
    cleanup.killLater(runsv.pid!, true);
    const stat = Buffer.concat([dir, Buffer.from('/supervise/stat')]);
    await waitFor(() => {
      try {
        return readFileSync(stat, 'utf8') === 'run\n';
      } catch {
        return false;
      }
    }, 'runsv to start ./run', 20_000);
    const [ours, runit] = [OUR_SV, referenceBinary('sv')].map((binary) => sv(binary, root, ['status']));
    const upTo = (out: Buffer) => out.subarray(0, out.indexOf(' (pid'));
    expect(upTo(ours!.stdout)).toEqual(upTo(runit!.stdout));
    expect(upTo(ours!.stdout)).toEqual(Buffer.concat([Buffer.from('run: ./'), ODD_BYTES, Buffer.from(':')]));
    // ./check is run in the dir, by ours as by runit's sv
    const check = Buffer.concat([dir, Buffer.from('/check')]);
    const checked = Buffer.concat([dir, Buffer.from('/checked')]);
    writeFileSync(check, '#!/bin/sh\necho $# > checked\n');
    chmodSync(check, 0o755);
    const [oursCheck, runitCheck] = [OUR_SV, referenceBinary('sv')].map((binary) => {
      rmSync(checked, { force: true });
      const outcome = sv(binary, root, ['check']);
      return { ...outcome, stdout: upTo(outcome.stdout), checked: readFileSync(checked, 'utf8') };
    });
    expect(oursCheck).toEqual(runitCheck);
    expect(oursCheck!.checked).toBe('0\n');
    rmSync(check);
    const down = sv(OUR_SV, root, ['-w', '10', 'down']);
    expect(down.code).toBe(0);
    expect(down.stdout.subarray(0, 16)).toEqual(Buffer.concat([Buffer.from('ok: down: ./'), ODD_BYTES, Buffer.from(':')]));
    expect(readFileSync(stat, 'utf8')).toBe('down\n');
  });

  it('names a missing one by its bytes in its failure line, as runit\'s sv', () => {
    const root = cleanup.tempDir('sv-bytes-');
    const [ours, runit] = [OUR_SV, referenceBinary('sv')].map((binary) => sv(binary, root, ['status'], 'q\\377'));
    expect(ours).toEqual(runit);
    expect(ours!.stdout.subarray(0, 11)).toEqual(Buffer.from([...Buffer.from('fail: ./q'), 0xff, 0x3a]));
  });
});
