// Bytes that are not UTF-8 in runsv's environment reach ./run and log/run as they came, as with
// runit's runsv (Node alone would hand them on as U+FFFD). Runs commands with child_process.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { oursOnPath, realOnPath } from './commands.js';
import { makeService } from './fixtures.js';

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
