// Bytes that are not UTF-8 pass through runsvdir as through runit's: environment values reach a
// service's ./run and log/run unchanged, and a service dir named so is supervised and named in
// messages by its bytes, whether a service host or a runsv process runs it.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
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
const fileOnceThere = (path: string | Buffer, what: string): Promise<Buffer> =>
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

/** "caf\351": a service's name, as sh's printf writes it and as bytes. */
const ODD_NAME = 'caf\\351';
const ODD_BYTES = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
const bytesPath = (...parts: Array<string | Buffer>): Buffer => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));

/** runsvdir over a services dir holding only caf\351 with ./run as given (its mode too); stderr goes to a file. */
function runsvdirOverOddName(which: Which, run: string, mode: number): { dir: Buffer; svdir: string; errPath: string } {
  const base = cleanup.tempDir(`runsvdir-bytes-${which}-`);
  const svdir = join(base, 'service');
  const dir = bytesPath(svdir, '/', ODD_BYTES);
  mkdirSync(dir, { recursive: true });
  writeFileSync(bytesPath(dir, '/run'), `#!/bin/sh\n${run}\n`);
  chmodSync(bytesPath(dir, '/run'), mode);
  const errPath = join(base, 'stderr');
  const env = which === 'reference' ? {} : { RUNIT_TS_RUNSVDIR_MODE: which };
  startRunsvdir(cleanup, [svdir], { dirs: [base], reference: which === 'reference', env, before: `exec 2>${errPath}` });
  return { dir, svdir, errPath };
}

describe('runsvdir on a service whose name is not UTF-8', () => {
  it.each(['host', 'process'] as const)('%s mode: starts it as runit\'s does, and runit\'s sv status reads it', async (mode) => {
    for (const which of ['reference', mode] as const) {
      const { dir, svdir } = runsvdirOverOddName(which, 'echo started > started\nexec sleep 1000', 0o755);
      await fileOnceThere(bytesPath(dir, '/started'), `${which}: ./run to start`);
      const status = await waitFor(() => {
        const result = spawnSync('/bin/sh', ['-c', `exec "$0" status "$1/$(printf '${ODD_NAME}')"`, referenceBinary('sv'), svdir]);
        return /^run: /.test(result.stdout.toString('latin1')) && result.stdout;
      }, `${which}: sv status`, 20_000);
      expect(status.subarray(0, 5 + svdir.length + 1 + ODD_BYTES.length), which).toEqual(bytesPath('run: ', svdir, '/', ODD_BYTES));
    }
  });

  it.each(['host', 'process'] as const)('%s mode: names it by its bytes in the line a failed start prints, as runit\'s', async (mode) => {
    const lines = await Promise.all(
      (['reference', mode] as const).map(async (which) => {
        const { errPath } = runsvdirOverOddName(which, 'exit 0', 0o644);
        return fileOnceThere(errPath, `${which}: a line on stderr`).then(() =>
          waitFor(() => {
            const text = readFileSync(errPath);
            const end = text.indexOf(0x0a);
            return end >= 0 && text.subarray(0, end);
          }, `${which}: a whole line`, 20_000),
        );
      }),
    );
    expect(lines[1]).toEqual(lines[0]);
    expect(lines[0]!.subarray(0, 12)).toEqual(bytesPath('runsv ', ODD_BYTES, ': '));
  });
});

describe('runsvdir over a services dir whose name is not UTF-8', () => {
  it.each(['host', 'process'] as const)('%s mode: starts its services, as runit\'s does', async (mode) => {
    for (const which of ['reference', mode] as const) {
      const base = cleanup.tempDir(`runsvdir-bytes-${which}-`);
      const svdir = bytesPath(base, '/s', Buffer.from([0xff]), 'v');
      mkdirSync(bytesPath(svdir, '/a'), { recursive: true });
      writeFileSync(bytesPath(svdir, '/a/run'), '#!/bin/sh\necho started > started\nexec sleep 1000\n');
      chmodSync(bytesPath(svdir, '/a/run'), 0o755);
      const env = which === 'reference' ? {} : { RUNIT_TS_RUNSVDIR_MODE: which };
      // the name made by sh, so that it reaches runsvdir as bytes
      startRunsvdir(cleanup, [], { dirs: [base], reference: which === 'reference', env, before: `cd ${base}; set -- "$@" "$(printf 's\\377v')"` });
      await fileOnceThere(bytesPath(svdir, '/a/started'), `${which}: ./run to start`);
    }
  });
});
