// SIGUSR1 and NODE_OPTIONS against runsv: Node's default would open a debugger (127.0.0.1:9229, no
// password) in a root daemon. runit's runsv dies of SIGUSR1 and leaves ./run running; ours must too,
// and an inherited NODE_OPTIONS must reach ./run untouched without opening anything in runsv.
// Runs runsv with child_process: no reaper in this file.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, listeningPorts, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { oursOnPath, realOnPath } from './commands.js';
import { makeService, readPid, readStat } from './fixtures.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Impl = 'real' | 'ours';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function startRunsv(impl: Impl, root: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const outPath = join(root, 'runsv.out');
  const fd = openSync(outPath, 'a');
  const env = { PATH: `${impl === 'real' ? realOnPath(cleanup) : oursOnPath(cleanup)}:/usr/bin:/bin`, ...extraEnv };
  const child = spawn('runsv', ['svc'], { cwd: root, env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  cleanup.killLater(child.pid!, true);
  const ended = new Promise<Ended>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { pid: child.pid!, ended, output: () => readFileSync(outPath, 'utf8') };
}

describe('runsv and SIGUSR1', () => {
  it('dies of it as the real runsv does, opens nothing, and leaves ./run running', async () => {
    const ends: Record<Impl, Ended | undefined> = { real: undefined, ours: undefined };
    for (const impl of ['real', 'ours'] as const) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', {});
      const runsv = startRunsv(impl, root);
      await waitFor(() => readStat(dir) === 'run', `${impl}: service up`);
      const service = readPid(dir);
      cleanup.killLater(service);
      process.kill(runsv.pid, 'SIGUSR1');
      ends[impl] = await runsv.ended;
      expect(isAlive(service), `${impl}: ./run still runs`).toBe(true);
      expect(runsv.output(), impl).toBe('');
    }
    expect(ends.real).toEqual({ code: null, signal: 'SIGUSR1' });
    expect(ends.ours).toEqual(ends.real);
  });
});

describe('runsv and NODE_OPTIONS', () => {
  it.each(['--inspect=127.0.0.1:0', '--inspect-brk=127.0.0.1:0'])(
    'NODE_OPTIONS=%s: runsv opens nothing, ./run gets it unchanged',
    async (options) => {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc', { run: 'printf %s "$NODE_OPTIONS" >seen\nexec sleep 1000' });
      const runsv = startRunsv('ours', root, { NODE_OPTIONS: options });
      await waitFor(() => readStat(dir) === 'run', 'service up');
      cleanup.killLater(readPid(dir));
      await waitFor(() => textOnceCreated(join(dir, 'seen')) !== '', './run wrote what it got');
      expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe(options);
      expect(listeningPorts(runsv.pid)).toEqual([]);
      expect(runsv.output()).toBe('');
      process.kill(runsv.pid, 'SIGTERM');
      expect(await runsv.ended).toEqual({ code: 0, signal: null });
    },
  );
});
