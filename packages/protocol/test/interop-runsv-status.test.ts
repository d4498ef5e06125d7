// Decodes a supervise/status written by the REAL runsv and checks every field against what
// runsv's own stat/pid files and the service's /proc entry say.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatus, formatPid, formatStat } from '../src/index.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('status written by the real runsv', () => {
  it('decodes to the state runsv reports in stat and pid', async () => {
    const dir = cleanup.tempDir('protocol-interop-');
    const svc = join(dir, 'svc');
    mkdirSync(svc);
    writeFileSync(join(svc, 'run'), '#!/bin/sh\nexec sleep 100\n');
    chmodSync(join(svc, 'run'), 0o755);
    // Read before runsv exists: its stamp cannot be earlier, however late this process gets to run.
    const before = Math.floor(Date.now() / 1000);
    const runsv = spawn(referenceBinary('runsv'), [svc], { stdio: 'ignore' });
    cleanup.add(async () => {
      if (runsv.exitCode === null) {
        writeFileSync(join(svc, 'supervise', 'control'), 'x');
        await new Promise((resolve) => runsv.once('exit', resolve));
      }
    });
    const pidText = await waitFor(() => {
      try {
        const text = readFileSync(join(svc, 'supervise', 'pid'), 'utf8');
        return text.length > 0 ? text : undefined;
      } catch {
        return undefined;
      }
    }, 'runsv to start ./run');
    const pid = Number(pidText);
    const status = decodeStatus(readFileSync(join(svc, 'supervise', 'status')));
    expect(status.pid).toBe(pid);
    expect(formatPid(status.pid)).toBe(pidText);
    expect(status).toMatchObject({ state: 'run', want: 'up', paused: false, gotTerm: false });
    expect(status.stamp.seconds).toBeGreaterThanOrEqual(before - 1);
    expect(status.stamp.seconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(status.stamp.nanoseconds % 1000).toBe(500);
    // runsv writes the pid right after fork: the child may not have exec'd ./run's sleep yet
    await waitFor(() => (readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u0000100\u0000' ? true : undefined), './run to exec sleep');
    expect(formatStat({ state: status.state, paused: status.paused, gotTerm: status.gotTerm, want: 'up' })).toBe(
      readFileSync(join(svc, 'supervise', 'stat'), 'utf8'),
    );

    // Pause, then ask for down: paused flag, want down, got TERM, and the stat text agree.
    writeFileSync(join(svc, 'supervise', 'control'), 'p');
    const paused = await waitFor(() => {
      const s = decodeStatus(readFileSync(join(svc, 'supervise', 'status')));
      return s.paused ? s : undefined;
    }, 'paused flag');
    expect(paused).toMatchObject({ state: 'run', pid, want: 'up' });
    expect(readFileSync(join(svc, 'supervise', 'stat'), 'utf8')).toBe(
      formatStat({ state: 'run', paused: true, gotTerm: false, want: 'up' }),
    );
    writeFileSync(join(svc, 'supervise', 'control'), 'd');
    const down = await waitFor(() => {
      const s = decodeStatus(readFileSync(join(svc, 'supervise', 'status')));
      return s.state === 'down' ? s : undefined;
    }, 'service down');
    expect(down).toMatchObject({ pid: 0, want: 'down', gotTerm: false });
    expect(readFileSync(join(svc, 'supervise', 'stat'), 'utf8')).toBe('down, paused\n');
    expect(readFileSync(join(svc, 'supervise', 'pid'), 'utf8')).toBe('');
  });
});
