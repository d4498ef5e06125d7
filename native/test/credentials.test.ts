// withFsCredentials: file-system work done with another user's rights, in this process, and put back.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withFsCredentials } from '../lib/index.js';
import { requireRoot } from './helpers.js';

const NOBODY = { uid: 65534, gid: 65534, groups: [65534], umask: 0o027 };
const base = mkdtempSync(join(tmpdir(), 'native-cred-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The 4th id of a Uid:/Gid: line of this thread: the file-system one. */
const fsId = (field: 'Uid' | 'Gid'): number =>
  Number(new RegExp(`^${field}:\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d+)$`, 'm').exec(readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'))![1]);

describe('withFsCredentials (root)', () => {
  it('creates files as the user, is refused where the user may not write, and puts everything back', () => {
    requireRoot();
    chmodSync(base, 0o755);
    const theirs = join(base, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, NOBODY.uid, NOBODY.gid);
    const rootOnly = join(base, 'root-only');
    mkdirSync(rootOnly, { mode: 0o755 });
    const umask = process.umask();

    const made = withFsCredentials(NOBODY, () => {
      writeFileSync(join(theirs, 'file'), 'x', { mode: 0o666 });
      expect(fsId('Uid')).toBe(NOBODY.uid);
      expect(() => writeFileSync(join(rootOnly, 'file'), 'x')).toThrow(expect.objectContaining({ code: 'EACCES' }));
      return 'made';
    });
    expect(made).toBe('made');
    const stat = statSync(join(theirs, 'file'));
    expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([NOBODY.uid, NOBODY.gid, 0o640]); // 0666 & ~027
    // back to root: the thread's ids, the umask, and root's rights
    expect([fsId('Uid'), fsId('Gid'), process.umask()]).toEqual([0, 0, umask]);
    writeFileSync(join(rootOnly, 'file'), 'x');
    expect(statSync(join(rootOnly, 'file')).uid).toBe(0);
  });

  it('puts the ids back when the work throws, and lets a nested call just run', () => {
    requireRoot();
    expect(() =>
      withFsCredentials(NOBODY, () =>
        withFsCredentials({ ...NOBODY, uid: 0 }, () => {
          expect(fsId('Uid')).toBe(NOBODY.uid); // nested: the outer rights stay
          throw new Error('failed inside');
        }),
      ),
    ).toThrow('failed inside');
    expect([fsId('Uid'), fsId('Gid')]).toEqual([0, 0]);
  });
});
