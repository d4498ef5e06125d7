// Finding node's absolute path when Node itself only knows argv[0] (no /proc at boot).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup } from '@runit-ts/test-support';
import { DEFAULT_SEARCH_PATH, nodeBinary } from '../src/node-binary.js';

describe('nodeBinary', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('keeps an absolute execPath', () => {
    expect(nodeBinary('/opt/node/bin/node', '')).toBe('/opt/node/bin/node');
  });

  it('searches PATH for a bare name, skipping what is not an executable file', () => {
    const dir = cleanup.tempDir('runit-init-node-');
    for (const name of ['a', 'b', 'c']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, 'a', 'node'), '');
    chmodSync(join(dir, 'a', 'node'), 0o644);
    mkdirSync(join(dir, 'b', 'node'));
    writeFileSync(join(dir, 'c', 'node'), '#!/bin/sh\n');
    chmodSync(join(dir, 'c', 'node'), 0o755);
    const path = ['a', 'b', 'c'].map((name) => join(dir, name)).join(':');
    expect(nodeBinary('node', path)).toBe(join(dir, 'c', 'node'));
  });

  it('searches the usual places when there is no PATH, and gives the name back when nothing is found', () => {
    const shell = nodeBinary('sh', undefined);
    expect(DEFAULT_SEARCH_PATH.split(':').map((dir) => join(dir, 'sh'))).toContain(shell);
    expect(nodeBinary('no-such-node-binary', '/nonexistent')).toBe('no-such-node-binary');
  });
});
