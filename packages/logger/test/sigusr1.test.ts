// SIGUSR1 against svlogd: Node's default would open a debugger (127.0.0.1:9229, no password) in a
// logger that often runs as root. runit's svlogd dies of it; ours must end the same way.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { IMPLEMENTATIONS, RunningSvlogd } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('svlogd and SIGUSR1', () => {
  it('dies of it as runit\'s svlogd does', async () => {
    const ends: Record<string, unknown> = {};
    for (const implementation of IMPLEMENTATIONS) {
      const root = cleanup.tempDir();
      const dir = join(root, 'log');
      mkdirSync(dir);
      const svlogd = new RunningSvlogd(implementation.command(), [dir], cleanup, { cwd: root });
      svlogd.write('a line\n');
      await waitFor(() => textOnceCreated(join(dir, 'current')) === 'a line\n', `${implementation.name}: line logged`);
      process.kill(svlogd.pid, 'SIGUSR1');
      const { code, signal, stderr } = await svlogd.exited;
      ends[implementation.name] = { code, signal, stderr };
    }
    expect(ends.reference).toEqual({ code: null, signal: 'SIGUSR1', stderr: '' });
    expect(ends.ours).toEqual(ends.reference);
  });
});
