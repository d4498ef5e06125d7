// SIGUSR1 and NODE_OPTIONS against runsvdir and its service host: Node's default would open a debugger
// (127.0.0.1:9229, no password) in root daemons. runit's runsvdir dies of SIGUSR1 and leaves its runsv
// and their services running; ours must too. The host, like a runit runsv, dies of it and is started
// again, its services left running. An inherited NODE_OPTIONS must reach ./run untouched and open
// nothing in runsvdir, the host or a runsv of ours.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, childPids, isAlive, listeningPorts, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { endTestProcesses } from './support/procfs.js';
import { startRunsvdir } from './support/runsvdir-run.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const LAUNCHER = fileURLToPath(new URL('../bin/runsvdir', import.meta.url));

describe('runsvdir and SIGUSR1', () => {
  it('runsvdir dies of it as runit\'s does, and the services go on running', async () => {
    const ends: Record<string, unknown> = {};
    for (const reference of [true, false]) {
      const root = cleanup.tempDir();
      const dir = makeService(root, 'svc');
      const runsvdir = startRunsvdir(cleanup, [root], { reference, dirs: [dir] });
      await waitFor(() => supervisedPid(dir) > 0, 'service up');
      const service = supervisedPid(dir);
      process.kill(runsvdir.pid, 'SIGUSR1');
      ends[reference ? 'runit' : 'ours'] = await runsvdir.exit;
      expect(isAlive(service), 'the service still runs').toBe(true);
      expect(runsvdir.stderr()).toBe('');
    }
    expect(ends.runit).toEqual({ code: null, signal: 'SIGUSR1' });
    expect(ends.ours).toEqual(ends.runit);
  });

  it('the service host dies of it (as a runit runsv would) and is started again; the service goes on', async () => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc');
    const runsvdir = startRunsvdir(cleanup, [root], { dirs: [dir] });
    await waitFor(() => supervisedPid(dir) > 0, 'service up');
    const service = supervisedPid(dir);
    const [host] = childPids(runsvdir.pid).filter((pid) => pid !== service);
    process.kill(host!, 'SIGUSR1');
    await waitFor(() => runsvdir.stderr().includes('\n'), 'runsvdir reports the host\'s end');
    expect(runsvdir.stderr().split('\n')[0]).toBe(`runsvdir ${root}: warning: service host: killed by signal 10, starting it again`);
    expect(isAlive(host!)).toBe(false);
    expect(isAlive(service)).toBe(true);
  });
});

describe('runsvdir and NODE_OPTIONS', () => {
  it.each([
    ['host', '--inspect=127.0.0.1:0'],
    ['host', '--inspect-brk=127.0.0.1:0'],
    ['process', '--inspect-brk=127.0.0.1:0'],
  ])('%s mode, NODE_OPTIONS=%s: no daemon of ours opens anything, ./run gets it unchanged', async (mode, options) => {
    const root = cleanup.tempDir();
    const dir = makeService(root, 'svc', { run: 'printf %s "$NODE_OPTIONS" >seen\nexec sleep 600' });
    const env = { PATH: process.env.PATH, NODE_OPTIONS: options, RUNIT_TS_RUNSVDIR_MODE: mode };
    const child = spawn(LAUNCHER, [root], { detached: true, stdio: 'ignore', env });
    const runsvdir = child.pid!;
    cleanup.add(() => endTestProcesses([runsvdir], [dir]));
    await waitFor(() => textOnceCreated(join(dir, 'seen')) !== '', './run wrote what it got');
    expect(textOnceCreated(join(dir, 'seen'))).toBe(options);
    const service = supervisedPid(dir);
    const daemons = [runsvdir, ...childPids(runsvdir).filter((pid) => pid !== service)];
    expect(daemons.length).toBe(2); // runsvdir and the host, or runsvdir and a runsv
    for (const pid of daemons) expect(listeningPorts(pid), `pid ${pid}`).toEqual([]);
  });
});
