// Text that keeps bytes which are not UTF-8, and the arguments taken back as bytes at start-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOfText, forKernel, textOfBytes } from '../lib/raw-text.js';

const dir = mkdtempSync(join(tmpdir(), 'native-argv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dist = (file: string) => JSON.stringify(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)));

describe('textOfBytes and bytesOfText', () => {
  it.each([
    ['plain ASCII', [0x61, 0x62]],
    ['UTF-8', [...Buffer.from('café €𝄞')]],
    ['a lone high byte', [0x62, 0xff, 0x78]],
    ['latin1', [0x63, 0x61, 0x66, 0xe9]],
    ['a stray continuation byte', [0x80]],
    ['a cut sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['U+FFFD itself', [0xef, 0xbf, 0xbd, 0xff]],
  ])('round-trips %s', (_what, bytes) => {
    const text = textOfBytes(Buffer.from(bytes));
    expect(bytesOfText(text)).toEqual(Buffer.from(bytes));
    const isUtf8 = Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes));
    expect(forKernel(text)).toEqual(isUtf8 ? text : Buffer.from(bytes));
  });

  it('keeps valid UTF-8 as Node decodes it, and each other byte as U+DC00+byte', () => {
    expect(textOfBytes(Buffer.from('naïve'))).toBe('naïve');
    expect(textOfBytes(Buffer.from([0x62, 0xff, 0x78]))).toBe('b\udcffx');
    // a surrogate pair is a character, not two kept bytes
    expect(bytesOfText('\ud834\udd1e')).toEqual(Buffer.from('𝄞'));
  });
});

describe('arguments at start-up', () => {
  it('process.argv holds the bytes the program was given, for each argument', () => {
    // node runs a script file as our launchers run a bundle: node [options] script args...
    const script = join(dir, 'argv.mjs');
    writeFileSync(script, `await import(${dist('start-up.js')}); const t = await import(${dist('raw-text.js')});
      process.stdout.write(JSON.stringify(process.argv.slice(2).map((a) => [...t.bytesOfText(a)])));`);
    const result = spawnSync('/bin/sh', ['-c', `exec "$0" --no-warnings "$1" "$(printf 'b\\377x')" plain '' "$(printf 'caf\\351')"`, process.execPath, script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([[0x62, 0xff, 0x78], [...Buffer.from('plain')], [], [0x63, 0x61, 0x66, 0xe9]]);
  });
});
