// SIGUSR1 and NODE_OPTIONS against sv, which root's scripts run: Node's default would open a debugger
// (127.0.0.1:9229, no password) for as long as sv runs (here: waiting for a ./check). runit's sv dies
// of SIGUSR1; ours must too. A service's ./check gets NODE_OPTIONS unchanged, and sv opens nothing.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, listeningPorts, referenceBinary, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { baseEnv, OUR_SV } from './helpers/run-sv.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A service under runit's runsv whose ./check never passes (and records each run and its NODE_OPTIONS). */
async function serviceThatNeverChecks(): Promise<string> {
  const dir = join(cleanup.tempDir(), 'svc');
  mkdirSync(dir);
  script(join(dir, 'run'), 'exec sleep 1000');
  script(join(dir, 'check'), 'printf %s "$NODE_OPTIONS" >checked\nexit 1');
  const runsv = spawn(referenceBinary('runsv'), [dir], { stdio: 'ignore', detached: true });
  cleanup.killLater(runsv.pid!, true);
  await waitFor(() => existsSync(join(dir, 'supervise/stat')) && readFileSync(join(dir, 'supervise/stat'), 'utf8') === 'run\n', 'service up');
  return dir;
}

function startSv(binary: string, dir: string, env: Record<string, string> = {}) {
  const child = spawn(binary, ['-w', '60', 'up', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv(env) });
  cleanup.killLater(child.pid!);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })));
  return { pid: child.pid!, ended };
}

describe('sv and SIGUSR1', () => {
  it('dies of it while it waits, as runit\'s sv does', async () => {
    const ends: Record<string, unknown> = {};
    for (const [name, binary] of [['runit', referenceBinary('sv')], ['ours', OUR_SV]] as const) {
      const dir = await serviceThatNeverChecks();
      const sv = startSv(binary, dir);
      await waitFor(() => existsSync(join(dir, 'checked')), `${name}: ./check ran`);
      process.kill(sv.pid, 'SIGUSR1');
      ends[name] = await sv.ended;
    }
    expect(ends.runit).toEqual({ code: null, signal: 'SIGUSR1', output: '' });
    expect(ends.ours).toEqual(ends.runit);
  });
});

describe('sv and NODE_OPTIONS', () => {
  it.each(['--inspect=127.0.0.1:0', '--inspect-brk=127.0.0.1:0'])('NODE_OPTIONS=%s reaches ./check unchanged', async (options) => {
    const dir = await serviceThatNeverChecks();
    const sv = startSv(OUR_SV, dir, { NODE_OPTIONS: options });
    await waitFor(() => textOnceCreated(join(dir, 'checked')) !== '', './check ran');
    expect(readFileSync(join(dir, 'checked'), 'utf8')).toBe(options);
    expect(listeningPorts(sv.pid)).toEqual([]);
    process.kill(sv.pid, 'SIGTERM');
    expect(await sv.ended).toEqual({ code: null, signal: 'SIGTERM', output: '' });
  });
});
