// The paths runit uses and the checks it makes on them (owner-execute bit, existence), on real files.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup } from '@runit-ts/test-support';
import { etcDir, exists, isOwnerExecutable, runitPaths } from '../src/index.js';

describe('runitPaths', () => {
  it('uses /etc/runit by default and RUNIT_TS_ETC when it is set and not empty', () => {
    expect(etcDir({})).toBe('/etc/runit');
    expect(etcDir({ RUNIT_TS_ETC: '' })).toBe('/etc/runit');
    expect(etcDir({ RUNIT_TS_ETC: '/srv/init' })).toBe('/srv/init');
    expect(runitPaths('/etc/runit')).toEqual({
      stages: ['/etc/runit/1', '/etc/runit/2', '/etc/runit/3'],
      stopit: '/etc/runit/stopit',
      reboot: '/etc/runit/reboot',
      ctrlaltdel: '/etc/runit/ctrlaltdel',
      nosync: '/etc/runit/nosync',
      container: '/etc/runit/container',
    });
  });
});

describe('control file checks', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  function file(dir: string, name: string, mode: number): string {
    const path = join(dir, name);
    writeFileSync(path, '');
    chmodSync(path, mode);
    return path;
  }

  it('isOwnerExecutable looks at the owner-execute bit only, through symlinks', () => {
    const dir = cleanup.tempDir('runit-init-files-');
    expect(isOwnerExecutable(file(dir, 'armed', 0o100))).toBe(true);
    expect(isOwnerExecutable(file(dir, 'all', 0o755))).toBe(true);
    expect(isOwnerExecutable(file(dir, 'disarmed', 0))).toBe(false);
    expect(isOwnerExecutable(file(dir, 'others', 0o011))).toBe(false);
    expect(isOwnerExecutable(join(dir, 'missing'))).toBe(false);
    symlinkSync(join(dir, 'armed'), join(dir, 'link'));
    expect(isOwnerExecutable(join(dir, 'link'))).toBe(true);
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
    expect(isOwnerExecutable(join(dir, 'dangling'))).toBe(false);
  });

  it('exists is true for any type and mode, false for nothing or a dangling link', () => {
    const dir = cleanup.tempDir('runit-init-files-');
    expect(exists(file(dir, 'nosync', 0))).toBe(true);
    mkdirSync(join(dir, 'a-dir'));
    expect(exists(join(dir, 'a-dir'))).toBe(true);
    expect(exists(join(dir, 'missing'))).toBe(false);
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
    expect(exists(join(dir, 'dangling'))).toBe(false);
  });
});
