// SIGUSR1 and NODE_OPTIONS against chpst, which runs as root before it drops privileges: Node's
// default would open a debugger for as long as chpst runs (here: waiting for a lock). runit's chpst
// dies of SIGUSR1; ours must too. NODE_OPTIONS must reach the program unchanged and open nothing.
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { chpstBinary, IMPLEMENTATIONS, OUR_CHPST, PLAIN_PATH, run } from './helpers/commands.js';
import { startSleeper } from './helpers/fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** True once pid has `path` open. */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe('chpst and SIGUSR1', () => {
  it('dies of it while it waits for a lock, as runit\'s chpst does', async () => {
    const ends: Record<string, unknown> = {};
    for (const implementation of IMPLEMENTATIONS) {
      const dir = cleanup.tempDir();
      const lock = join(dir, 'lock');
      writeFileSync(lock, '');
      await startSleeper(cleanup, chpstBinary('runit'), ['-l', lock], dir);
      const waiter = spawn(chpstBinary(implementation), ['-l', lock, 'true'], { cwd: dir, stdio: 'ignore', env: { PATH: PLAIN_PATH } });
      cleanup.killLater(waiter.pid!);
      const ended = new Promise((resolve) => waiter.on('exit', (code, signal) => resolve({ code, signal })));
      await waitFor(() => holdsOpen(waiter.pid!, lock), `${implementation}: waiting for the lock`);
      process.kill(waiter.pid!, 'SIGUSR1');
      ends[implementation] = await ended;
    }
    expect(ends.runit).toEqual({ code: null, signal: 'SIGUSR1' });
    expect(ends.ours).toEqual(ends.runit);
  });
});

describe('chpst and NODE_OPTIONS', () => {
  it.each(['--inspect=127.0.0.1:0', '--inspect-brk=127.0.0.1:0'])('NODE_OPTIONS=%s reaches the program unchanged', (options) => {
    const dir = cleanup.tempDir();
    const env = { PATH: PLAIN_PATH, NODE_OPTIONS: options };
    const outcome = run(OUR_CHPST, ['sh', '-c', 'printf %s "$NODE_OPTIONS"'], { cwd: dir, env, timeout: 20_000 });
    expect(outcome).toMatchObject({ code: 0, stdout: options, stderr: '' });
  });
});
