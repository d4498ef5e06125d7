// A log dir's owner can plant links in it; svlogd (ours) never follows one, where runit's svlogd
// appends to, or truncates, whatever the link names. Ours only: these are not runit's behaviour.
import { chmodSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { ourCommand, RunningSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PRECIOUS = 'precious, owned by root\n';

function victim(root: string, name: string, mode: number): string {
  const path = join(root, name);
  writeFileSync(path, PRECIOUS);
  chmodSync(path, mode);
  return path;
}

/** svlogd over a fresh log dir whose `entry` is a link to a root file; the file and svlogd. */
function svlogdWithLink(entry: string, mode: number) {
  const root = cleanup.tempDir();
  const dir = join(root, 'log');
  mkdirSync(dir);
  const target = victim(root, `${entry}-victim`, mode);
  symlinkSync(target, join(dir, entry));
  const svlogd = new RunningSvlogd(ourCommand(), [dir], cleanup, { cwd: root });
  svlogd.write('a line\n');
  return { dir, target, svlogd };
}

describe('svlogd never follows a link planted in its log dir', () => {
  it('current linked to a root file: the file is not appended to, svlogd pauses and says why', async () => {
    // u+x: a current closed cleanly, which svlogd appends to
    const { target, svlogd } = svlogdWithLink('current', 0o744);
    await waitFor(() => svlogd.stderr.includes('current'), 'a complaint about current');
    expect(svlogd.stderr).toMatch(/^svlogd: pausing: unable to open current: .*: symbolic link loop\n/);
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });

  it('lock linked to a root file: not opened through the link', async () => {
    const { dir, target, svlogd } = svlogdWithLink('lock', 0o600);
    await waitFor(() => svlogd.stderr.includes('lock'), 'a complaint about lock');
    expect(svlogd.stderr).toMatch(/unable to lock directory: .*: symbolic link loop/);
    expect(lstatSync(join(dir, 'lock')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(PRECIOUS);
  });
});
