// readEnvDir and envValue on real directories.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup } from '@runit-ts/test-support';
import { EnvDirError, envValue, readEnvDir } from '../src/envdir.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('envValue', () => {
  it('keeps the first line, trims trailing blanks, turns NUL into newline', () => {
    expect(envValue(bytes('value  \t\nnext')).toString()).toBe('value');
    expect(envValue(bytes('a\0b \n')).toString()).toBe('a\nb');
    expect(envValue(bytes('\n')).toString()).toBe('');
    expect(envValue(bytes('  lead')).toString()).toBe('  lead');
    expect(envValue(bytes('   ')).toString()).toBe('');
  });
});

describe('readEnvDir', () => {
  it('reads each file, skips dot files, and unsets for empty files', () => {
    const dir = cleanup.tempDir();
    writeFileSync(join(dir, 'A'), 'one\ntwo');
    writeFileSync(join(dir, 'B'), '');
    writeFileSync(join(dir, '.hidden'), 'x');
    const changes = readEnvDir(dir, { skipSubdirectories: false });
    expect(new Map(changes.map((change) => [change.name, change.value]))).toEqual(new Map([['A', 'one'], ['B', null]]));
  });

  it('skips a subdirectory when asked (reporting it), and fails on it otherwise', () => {
    const dir = cleanup.tempDir();
    mkdirSync(join(dir, 'sub'));
    const skipped: string[] = [];
    expect(readEnvDir(dir, { skipSubdirectories: true, onSkip: (name) => skipped.push(name) })).toEqual([]);
    expect(skipped).toEqual(['sub']);
    expect(() => readEnvDir(dir, { skipSubdirectories: false })).toThrow(EnvDirError);
    try {
      readEnvDir(dir, { skipSubdirectories: false });
    } catch (error) {
      expect((error as EnvDirError).problem).toMatchObject({ kind: 'read-file', name: 'sub', error: { code: 'EISDIR' } });
    }
  });

  it('gives a dangling symlink the value read before it, or unsets when nothing was read', () => {
    const dir = cleanup.tempDir();
    symlinkSync('/nonexistent', join(dir, 'ONLY'));
    expect(readEnvDir(dir, { skipSubdirectories: false })).toEqual([{ name: 'ONLY', value: null }]);
  });

  it('tells where it failed: the dir itself', () => {
    const dir = cleanup.tempDir();
    const problem = (path: string) => {
      try {
        readEnvDir(path, { skipSubdirectories: true });
      } catch (error) {
        return (error as EnvDirError).problem;
      }
      return undefined;
    };
    expect(problem(join(dir, 'missing'))).toMatchObject({ kind: 'switch', error: { code: 'ENOENT' } });
    writeFileSync(join(dir, 'file'), '');
    expect(problem(join(dir, 'file'))).toMatchObject({ kind: 'switch', error: { code: 'ENOTDIR' } });
  });
});
