// Bytes that are not UTF-8 pass through runsvdir as through runit's: environment values reach a
// service's ./run and log/run unchanged, whether a service host or a runsv process starts them.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { startRunsvdir } from './support/runsvdir-run.js';
import { makeService } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Which = 'host' | 'process' | 'reference';

/** Each variable runsvdir is given, as printf(1) writes its bytes, and those bytes. */
const GIVEN: Record<string, [string, Buffer]> = {
  XV: ['p\\377q', Buffer.from([0x70, 0xff, 0x71])],
  XE: ['caf\\351', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
  XL: ['\\200', Buffer.from([0x80])],
  NODE_OPTIONS: ['x=\\377', Buffer.from([0x78, 0x3d, 0xff])],
};
const NAMES = Object.keys(GIVEN);
const EXPORTS = NAMES.map((name) => `${name}=$(printf '${GIVEN[name]![0]}'); export ${name}`).join('; ');

/** A script body that writes each variable's bytes to <prefix><name>, then <prefix>done. */
const dumpScript = (prefix: string): string =>
  `${NAMES.map((name) => `printf %s "$${name}" > ${prefix}${name}`).join('\n')}\n: > ${prefix}done`;

/** Waits for a file some service writes last, then reads it. */
const fileOnceThere = (path: string, what: string): Promise<Buffer> =>
  waitFor(() => {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  }, what, 20_000);

async function environmentSeen(which: Which): Promise<Record<string, Buffer>> {
  const base = cleanup.tempDir(`runsvdir-bytes-${which}-`);
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  const dir = makeService(svdir, 'svc', { run: `${dumpScript('run-')}\nexec sleep 1000`, log: `${dumpScript('../log-')}\nexec cat >/dev/null` });
  const env = which === 'reference' ? {} : { RUNIT_TS_RUNSVDIR_MODE: which };
  startRunsvdir(cleanup, [svdir], { dirs: [base], reference: which === 'reference', env, before: EXPORTS });
  const seen: Record<string, Buffer> = {};
  for (const prefix of ['run-', 'log-']) {
    await fileOnceThere(join(dir, `${prefix}done`), `${which}: ${prefix}done`);
    for (const name of NAMES) seen[`${prefix}${name}`] = readFileSync(join(dir, `${prefix}${name}`));
  }
  return seen;
}

describe('runsvdir passes environment bytes that are not UTF-8 through untouched', () => {
  it.each(['host', 'process'] as const)('%s mode: ./run and log/run get them as from runit\'s runsvdir', async (mode) => {
    const [reference, ours] = await Promise.all([environmentSeen('reference'), environmentSeen(mode)]);
    for (const prefix of ['run-', 'log-']) {
      for (const name of NAMES) {
        expect(reference[`${prefix}${name}`], `${prefix}${name} (runit)`).toEqual(GIVEN[name]![1]);
        expect(ours[`${prefix}${name}`], `${prefix}${name} (ours)`).toEqual(GIVEN[name]![1]);
      }
    }
  });
});
