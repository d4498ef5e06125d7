// sv as a process: the name it was invoked under, a stdout nobody reads, a closed stdout; ours and
// the real sv side by side against a REAL runsv.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, referenceBinary } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, OUR_SV } from './helpers/run-sv.js';
import { makeService, superviseUntil } from './helpers/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('the name sv was invoked under', () => {
  it('is the symlink itself in process.argv[1], made absolute, not the file it points to', () => {
    const dir = cleanup.tempDir('sv-argv-');
    const script = join(dir, 'main.cjs');
    writeFileSync(script, '#!/usr/bin/env node\nprocess.stdout.write(process.argv[1]);\n', { mode: 0o755 });
    mkdirSync(join(dir, 'init.d'));
    symlinkSync(script, join(dir, 'init.d', 'foo'));
    const direct = spawnSync(join(dir, 'init.d', 'foo'), { encoding: 'utf8' });
    const relative = spawnSync(process.execPath, ['./init.d/../init.d/foo'], { cwd: dir, encoding: 'utf8' });
    expect(direct.stdout).toBe(join(dir, 'init.d', 'foo'));
    expect(relative.stdout).toBe(join(dir, 'init.d', 'foo'));
  });

  it('makes our sv an init script for that service when reached through a symlink', async () => {
    const dir = cleanup.tempDir('sv-argv-');
    const service = makeService(join(dir, 'foo'), { down: true });
    await superviseUntil(cleanup, service, 'down');
    mkdirSync(join(dir, 'init.d'));
    symlinkSync(OUR_SV, join(dir, 'init.d', 'foo'));
    const result = spawnSync(join(dir, 'init.d', 'foo'), ['status'], { env: baseEnv({ SVDIR: dir }), encoding: 'utf8' });
    expect(result.stdout).toMatch(/^down: foo: \d+s\n$/);
    expect(result.status).toBe(3);
  });
});

describe('stdout', () => {
  /** Runs `sv -w 30 up ./a` whose check waits for a gate file; closes our end of its stdout first. */
  async function exitWithUnreadStdout(sv: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const dir = cleanup.tempDir('sv-pipe-');
    const gate = join(dir, 'gate');
    const service = makeService(join(dir, 'a'), { check: 'while [ ! -e "$GATE" ]; do sleep 0.02; done' });
    await superviseUntil(cleanup, service, 'run');
    const child = spawn(sv, ['-w', '30', 'up', './a'], { cwd: dir, env: baseEnv({ GATE: gate }), stdio: ['ignore', 'pipe', 'ignore'] });
    cleanup.killLater(child.pid!);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await new Promise((resolve) => {
      child.stdout.once('close', resolve);
      child.stdout.destroy();
    });
    writeFileSync(gate, '');
    return exited;
  }

  it('no reader: the real sv dies of SIGPIPE', async () => {
    expect(await exitWithUnreadStdout(referenceBinary('sv'))).toEqual({ code: null, signal: 'SIGPIPE' });
  });

  it('no reader: ours dies of SIGPIPE too', async () => {
    expect(await exitWithUnreadStdout(OUR_SV)).toEqual({ code: null, signal: 'SIGPIPE' });
  });

  it('closed: output is lost, the exit code is unchanged, as with the real sv', async () => {
    const dir = cleanup.tempDir('sv-closed-');
    const service = makeService(join(dir, 'a'));
    await superviseUntil(cleanup, service, 'run');
    const run = (sv: string) =>
      spawnSync('/bin/sh', ['-c', 'exec "$0" status ./a ./missing >&-', sv], { cwd: dir, env: baseEnv(), encoding: 'utf8' });
    const real = run(referenceBinary('sv'));
    const ours = run(OUR_SV);
    expect(real).toMatchObject({ status: 1, stdout: '', stderr: '' });
    expect(ours).toMatchObject({ status: 1, stdout: '', stderr: '' });
  });
});
