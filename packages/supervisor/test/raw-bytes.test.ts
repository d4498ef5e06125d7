// Bytes that are not UTF-8 pass through runsv as through runit's (Node alone would make them U+FFFD):
// environment values reach ./run and log/run as they came; a service dir named so is supervised and
// named in messages by its bytes. Runs commands with child_process.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { oursOnPath, realOnPath } from './commands.js';
import { makeService, script } from './fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Each variable runsv is given, as printf(1) writes its bytes: lone high bytes, latin1, a stray continuation byte. */
const GIVEN: Record<string, string> = {
  XV: 'p\\377q',
  XE: 'caf\\351',
  XL: '\\200',
  // set aside by our launcher and given back to ./run: its bytes must come back too
  NODE_OPTIONS: 'x=\\377',
};
const EXPECTED: Record<string, Buffer> = {
  XV: Buffer.from([0x70, 0xff, 0x71]),
  XE: Buffer.from([0x63, 0x61, 0x66, 0xe9]),
  XL: Buffer.from([0x80]),
  NODE_OPTIONS: Buffer.from([0x78, 0x3d, 0xff]),
};
const NAMES = Object.keys(GIVEN);

/** A script body that writes each variable's bytes to <prefix><name>, then `done` when all are there. */
const dumpScript = (prefix: string): string =>
  `${NAMES.map((name) => `printf %s "$${name}" > ${prefix}${name}`).join('\n')}\n: > ${prefix}done`;

/** Runs `runsv svc` in root from sh, which exports the variables' bytes; clean-up kills its group. */
function startRunsv(root: string, path: string): void {
  const exports = NAMES.map((name) => `${name}=$(printf '${GIVEN[name]}'); export ${name}`).join('\n');
  const fd = openSync(join(root, 'runsv.err'), 'a');
  const child = spawn('/bin/sh', ['-c', `${exports}\nexec runsv svc`], { cwd: root, env: { PATH: path }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  cleanup.killLater(child.pid!, true);
}

/** What ./run (run-) and log/run (log-) wrote, by variable. */
async function environmentSeen(which: 'real' | 'ours'): Promise<Record<string, Buffer>> {
  const root = cleanup.tempDir(`runit-ts-bytes-${which}-`);
  const dir = makeService(root, 'svc', { run: `${dumpScript('run-')}\nexec sleep 1000`, log: `${dumpScript('../log-')}\nexec cat >/dev/null` });
  startRunsv(root, `${which === 'real' ? realOnPath(cleanup) : oursOnPath(cleanup)}:/usr/bin:/bin`);
  const seen: Record<string, Buffer> = {};
  for (const prefix of ['run-', 'log-']) {
    await waitFor(() => {
      try {
        return readFileSync(join(dir, `${prefix}done`)) !== undefined;
      } catch {
        return false;
      }
    }, `${which} runsv's ${prefix}done`, 20_000);
    for (const name of NAMES) seen[`${prefix}${name}`] = readFileSync(join(dir, `${prefix}${name}`));
  }
  return seen;
}

describe('runsv passes environment bytes that are not UTF-8 through untouched', () => {
  it('./run and log/run get the bytes runsv was given, as from runit\'s runsv', async () => {
    const [real, ours] = await Promise.all([environmentSeen('real'), environmentSeen('ours')]);
    for (const prefix of ['run-', 'log-']) {
      for (const name of NAMES) {
        expect(real[`${prefix}${name}`], `${prefix}${name} (real)`).toEqual(EXPECTED[name]);
        expect(ours[`${prefix}${name}`], `${prefix}${name} (ours)`).toEqual(EXPECTED[name]);
      }
    }
  });
});

/** "b\377x": the service dir's name, as sh's printf writes it and as bytes. */
const ODD_NAME = 'b\\377x';
const ODD_BYTES = Buffer.from([0x62, 0xff, 0x78]);

/** Starts `runsv b\377x` in root (the name made by sh, so that it reaches runsv as bytes); stderr to a file. */
function startRunsvOnOddName(root: string, path: string): string {
  const errPath = join(root, 'runsv.err');
  const fd = openSync(errPath, 'a');
  const child = spawn('/bin/sh', ['-c', `exec runsv "$(printf '${ODD_NAME}')"`], { cwd: root, env: { PATH: path }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  cleanup.killLater(child.pid!, true);
  return errPath;
}

const pathOf = (which: 'real' | 'ours'): string => `${which === 'real' ? realOnPath(cleanup) : oursOnPath(cleanup)}:/usr/bin:/bin`;

/** A service dir named b\377x in a fresh root, with ./run as given. */
function oddService(which: 'real' | 'ours', run: string): { root: string; dir: Buffer } {
  const root = cleanup.tempDir(`runit-ts-bytes-${which}-`);
  const dir = Buffer.concat([Buffer.from(`${root}/`), ODD_BYTES]);
  mkdirSync(dir);
  script(Buffer.concat([dir, Buffer.from('/run')]), run);
  return { root, dir };
}

describe('runsv on a service dir whose name is not UTF-8', () => {
  it('supervises it, and runit\'s sv status reads it', async () => {
    for (const which of ['real', 'ours'] as const) {
      const { root, dir } = oddService(which, 'echo started > started\nexec sleep 1000');
      startRunsvOnOddName(root, pathOf(which));
      const started = Buffer.concat([dir, Buffer.from('/started')]);
      await waitFor(() => {
        try {
          return readFileSync(started, 'utf8') === 'started\n';
        } catch {
          return false;
        }
      }, `${which} runsv to start ./run`, 20_000);
      const status = await waitFor(() => {
        const result = spawnSync('/bin/sh', ['-c', `exec "$0" status "./$(printf '${ODD_NAME}')"`, referenceBinary('sv')], { cwd: root });
        return /^run: /.test(result.stdout.toString('latin1')) && result.stdout;
      }, `${which}: sv status`, 20_000);
      expect(status.subarray(0, 10), which).toEqual(Buffer.concat([Buffer.from('run: ./'), ODD_BYTES]));
    }
  });

  it('names it by its bytes in the line it prints, as runit\'s runsv', async () => {
    const firstLines = await Promise.all(
      (['real', 'ours'] as const).map(async (which) => {
        const { root, dir } = oddService(which, 'exit 0');
        chmodSync(Buffer.concat([dir, Buffer.from('/run')]), 0o644);
        const errPath = startRunsvOnOddName(root, pathOf(which));
        return waitFor(() => {
          const text = readFileSync(errPath);
          const end = text.indexOf(0x0a);
          return end >= 0 && text.subarray(0, end);
        }, `${which} runsv's first line`, 20_000);
      }),
    );
    expect(firstLines[1]).toEqual(firstLines[0]);
    expect(firstLines[0]!.subarray(0, 11)).toEqual(Buffer.concat([Buffer.from('runsv '), ODD_BYTES, Buffer.from(': ')]));
  });
});
