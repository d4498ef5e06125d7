// runit's svlogd check (docs/runit-behaviour.md §7) as a golden test: the same script, our svlogd and
// the real one.
import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const script = fileURLToPath(new URL('./golden/svlogd-check.sh', import.meta.url));
const expected = readFileSync(fileURLToPath(new URL('./golden/svlogd-check.out', import.meta.url)), 'utf8');

/** Runs the check with `svlogd` first in PATH (as runit's check-local does) and stdout+stderr merged. */
function runCheck(svlogd: string): Promise<string> {
  const tmp = cleanup.tempDir('svlogd-golden-');
  symlinkSync(svlogd, join(tmp, 'svlogd'));
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec sh "${script}" 2>&1`], {
      env: { PATH: `${tmp}:${process.env.PATH}`, ctmp: join(tmp, 'check-tmp') },
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: tmp,
    });
    cleanup.killLater(child.pid!);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describe.each(IMPLEMENTATIONS)('svlogd check ($name)', ({ command }) => {
  it('prints what runit\'s svlogd.dist expects', async () => {
    const out = await runCheck(command());
    // check-diff compares lines with surrounding whitespace ignored.
    const trim = (text: string): string[] => text.split('\n').map((line) => line.trim());
    expect(trim(out)).toEqual(trim(expected));
  }, 30_000);
});
