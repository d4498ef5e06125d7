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

describe('svlogd never follows a link planted in its log dir', () => {
  it('current and lock linked to root files: neither file is written, svlogd says why', async () => {
    const root = cleanup.tempDir();
    const dir = join(root, 'log');
    mkdirSync(dir);
    // u+x: a current closed cleanly, which svlogd appends to
    const current = victim(root, 'current-victim', 0o744);
    symlinkSync(current, join(dir, 'current'));
    const svlogd = new RunningSvlogd(ourCommand(), [dir], cleanup, { cwd: root });
    svlogd.write('a line\n');
    await waitFor(() => svlogd.stderr.includes('current'), 'a complaint about current');
    expect(svlogd.stderr).toMatch(/^svlogd: pausing: unable to open current: .*: symbolic link loop\n/);
    expect(readFileSync(current, 'utf8')).toBe(PRECIOUS);

    const root2 = cleanup.tempDir();
    const dir2 = join(root2, 'log');
    mkdirSync(dir2);
    const lock = victim(root2, 'lock-victim', 0o600);
    symlinkSync(lock, join(dir2, 'lock'));
    const second = new RunningSvlogd(ourCommand(), [dir2], cleanup, { cwd: root2 });
    second.write('a line\n');
    await waitFor(() => second.stderr.includes('lock'), 'a complaint about lock');
    expect(second.stderr).toMatch(/unable to lock directory: .*: symbolic link loop/);
    expect(lstatSync(join(dir2, 'lock')).isSymbolicLink()).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe(PRECIOUS);
  });
});
