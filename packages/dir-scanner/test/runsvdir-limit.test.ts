// runit's limit of 1000 services, end to end: 1,001 service dirs that are down by default, so the
// proof costs 1000 supervisors and no service processes.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { startRunsvdir, sv } from './support/runsvdir-run.js';
import { isSupervised } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const COUNT = 1001;

describe('runsvdir with 1,001 services', () => {
  it('supervises 1000, warns as runit does about the one beyond, and keeps running', async () => {
    const base = cleanup.tempDir('runsvdir-limit-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    const names = Array.from({ length: COUNT }, (_, i) => `s${i}`);
    for (const name of names) {
      mkdirSync(join(svdir, name));
      writeFileSync(join(svdir, name, 'run'), '#!/bin/sh\nexec sleep 600\n');
      chmodSync(join(svdir, name, 'run'), 0o755);
      writeFileSync(join(svdir, name, 'down'), '');
    }
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const warning = /^runsvdir .*: warning: unable to start runsv (s\d+): too many services\.$/m;
    const left = (await waitFor(() => warning.exec(run.stderr())?.[1], 'the warning', 60_000))!;
    await waitFor(() => names.filter((n) => isSupervised(join(svdir, n))).length === 1000, '1000 supervised', 60_000);
    expect(isSupervised(join(svdir, left))).toBe(false);
    expect(sv(['status', join(svdir, left)]).stdout).toMatch(/unable to open supervise\/ok: file does not exist/);
    const another = names.find((n) => n !== left)!;
    expect(sv(['status', join(svdir, another)]).stdout).toMatch(/^down: .*: \d+s\n$/);
    expect(run.stderr().split('\n').filter((line) => line && !warning.test(line))).toEqual([]);
    expect(run.exited()).toBe(false);
  }, 180_000);
});
