// What each tarball holds, as npm pack made it for the registry: what an installation runs (dist,
// launchers, man pages, native's sources, prebuilt addon and fd-holder program), never tests, TypeScript sources or
// build leftovers. Prints each tarball's size for the record.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const ALLOWED: Record<string, RegExp> = {
  'runit-ts': /^(package\.json|README\.md)$/,
  native: /^(package\.json|binding\.gyp|scripts\/build\.mjs|src\/[a-z-]+\.(cc|h)|holder\/fdholder\.c|dist\/[a-z-]+\.(js|d\.ts)|prebuilds\/linux-x64\/(@runit-ts\+native\.glibc\.node|runit-ts-fdholder))$/,
  protocol: /^(package\.json|README\.md|dist\/[a-z0-9-]+\.(js|d\.ts))$/,
};
const COMMAND_PACKAGE = /^(package\.json|README\.md|bin\/[a-z-]+(\.cjs)?|dist\/([a-z]+\/)?[a-z0-9-]+\.(js|d\.ts|cjs)|man\/[a-z-]+\.8)$/;

const files = (tarball: string): string[] =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((path) => path.replace(/^package\//, ''));

describe('the tarballs', () => {
  it.each(inject('tarballs').map((tarball) => [basename(tarball), tarball]))('%s holds only what an installation uses', (_, tarball) => {
    const name = /^runit-ts-(?:(.+)-)?\d+\.\d+\.\d+\.tgz$/.exec(basename(tarball))?.[1] ?? 'runit-ts';
    const allowed = ALLOWED[name] ?? COMMAND_PACKAGE;
    const list = files(tarball);
    console.log(`${basename(tarball)}: ${(statSync(tarball).size / 1024).toFixed(1)} KiB, ${list.length} files`);
    expect(list.filter((path) => !allowed.test(path))).toEqual([]);
    expect(list).toContain('package.json');
  });
});
