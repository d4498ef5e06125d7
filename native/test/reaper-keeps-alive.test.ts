// A program that awaits a watched child's exit stays alive until the reaper hands it over, as with
// child_process (SIGCHLD listeners alone do not keep Node running).
import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('reaper and the event loop', () => {
  it('keeps a program alive while a watched child runs', () => {
    const result = runNode(`
      n.reaper.start();
      const pid = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'sleep 0.5; exit 3'] });
      const exit = await new Promise((resolve) => n.reaper.watch(pid, resolve));
      console.log('child exited with', exit.code, '- still watched:', n.reaper.watched);
    `);
    expect(result).toMatchObject({ status: 0, stdout: 'child exited with 3 - still watched: 0\n' });
  });
});
