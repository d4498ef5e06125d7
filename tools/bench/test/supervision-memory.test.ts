import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { childPids, Cleanup, waitFor } from '@runit-ts/test-support';
import { hasSettled, medianTreeMemory, readSettledTreeMemory, readTreeMemory, type TreeMemory } from '../src/supervision-memory.js';
import { logCurrent, startedLine, writeService } from '../src/service-dirs.js';
import { blankPidsAndSeconds } from '../src/scenarios/sv-status.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('readTreeMemory', () => {
  it('sums root, its children and what they run, leaving the services and their children out', async () => {
    // root (sh) -> two "supervisors" (sh), each running a "service" (sleep) and a "logger" (sleep)
    const root = spawn('sh', ['-c', 'for i in 1 2; do sh -c "sleep 1001 & sleep 1002 & wait" & done; wait'], { detached: true });
    cleanup.add(() => void process.kill(-root.pid!, 'SIGKILL'));
    const cmd = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const isSleep = (pid: number) => /^sleep\x001\d+/.test(cmd(pid));
    const supervisors = await waitFor(() => {
      const children = childPids(root.pid!);
      const ready = children.length === 2 && children.every((c) => childPids(c).length === 2 && childPids(c).every(isSleep));
      return ready ? children : undefined;
    }, 'the tree');
    const services = new Set(supervisors.flatMap(childPids).filter((pid) => cmd(pid).includes('1001')));
    const tree = readTreeMemory(root.pid!, services);
    expect(tree.processes).toBe(5);
    expect(tree.supervisors.pss).toBeGreaterThan(0);
    expect(tree.loggers.private).toBeGreaterThan(0);
    expect(tree.total.pss).toBeGreaterThan(tree.supervisors.pss + tree.loggers.pss); // + the root
    expect(readTreeMemory(root.pid!, new Set()).processes).toBe(7);
  });

  it('takes the median of several readings field by field', () => {
    const reading = (n: number): TreeMemory => ({
      total: { pss: n, private: 10 * n, rss: 100 * n },
      supervisors: { pss: 2 * n, private: 0, rss: 0 },
      loggers: { pss: 0, private: 3 * n, rss: 0 },
      processes: n,
    });
    expect(medianTreeMemory([reading(1), reading(9), reading(2)])).toEqual(reading(2));
  });
});

describe('service dirs', () => {
  it('writes an executable ./run that pings, with an svlogd log/run or a hosted-log opt-in', () => {
    const parent = cleanup.tempDir('bench-svc-');
    const plain = writeService(parent, { name: 'a', ping: '/x/ping' });
    expect(statSync(join(plain, 'run')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(plain, 'run'), 'utf8')).toBe(`#!/bin/sh\necho "a $$" > '/x/ping'\necho '${startedLine('a')}'\nexec sleep 100000\n`);
    expect(existsSync(join(plain, 'log'))).toBe(false);
    expect(logCurrent(plain, { kind: 'none' })).toBeUndefined();

    const logged = writeService(parent, { name: 'b', ping: '/x/ping', log: { kind: 'svlogd', svlogd: '/bin/svlogd' } });
    expect(readFileSync(join(logged, 'log/run'), 'utf8')).toBe("#!/bin/sh\nexec '/bin/svlogd' -tt ./main\n");
    expect(statSync(join(logged, 'log/main')).isDirectory()).toBe(true);
    expect(logCurrent(logged, { kind: 'svlogd', svlogd: '' })).toBe(join(logged, 'log/main/current'));

    const hosted = writeService(parent, { name: 'c', ping: '/x/ping', log: { kind: 'hosted' } });
    expect(readFileSync(join(hosted, 'hosted-log'), 'utf8')).toBe('-tt ./main\n');
    expect(existsSync(join(hosted, 'log'))).toBe(false);
    expect(logCurrent(hosted, { kind: 'hosted' })).toBe(join(hosted, 'main/current'));
  });

  it('compares sv status lines with pids and seconds blanked', () => {
    expect(blankPidsAndSeconds('run: /s: (pid 123) 45s; run: log: (pid 6) 7s\n')).toBe('run: /s: (pid N) Ns; run: log: (pid N) Ns\n');
    expect(blankPidsAndSeconds('down: /s: 1s, normally up\n')).toBe('down: /s: Ns, normally up\n');
  });
});

describe('hasSettled', () => {
  const tree = (privateBytes: number): TreeMemory => {
    const reading = { pss: privateBytes, private: privateBytes, rss: privateBytes };
    return { total: reading, supervisors: reading, loggers: { pss: 0, private: 0, rss: 0 }, processes: 2 };
  };
  const series = (values: number[], stepMs = 1000) => values.map((v, i) => ({ atMs: i * stepMs, memory: tree(v) }));
  const rule = { minMs: 5000, windowMs: 3000, tolerance: 0.01, maxMs: 60_000 };

  it('waits for the minimum time even when nothing moves', () => {
    expect(hasSettled(series([100, 100, 100, 100, 100]), rule)).toBe(false);
    expect(hasSettled(series([100, 100, 100, 100, 100, 100]), rule)).toBe(true);
  });

  it('waits until a whole window of readings agrees within the tolerance', () => {
    // the drop at 6 s (V8 giving pages back) restarts the wait
    const values = [120, 120, 120, 120, 120, 120, 90, 90, 90];
    expect(hasSettled(series(values.slice(0, 7)), rule)).toBe(false);
    expect(hasSettled(series(values.slice(0, 9)), rule)).toBe(false);
    expect(hasSettled(series([...values, 90.5]), rule)).toBe(true);
  });

  it('is never settled before readings cover the window', () => {
    expect(hasSettled([], rule)).toBe(false);
    expect(hasSettled([{ atMs: 9000, memory: tree(1) }], rule)).toBe(false);
  });
});

describe('readSettledTreeMemory', () => {
  it('stops when the readings settle and returns the median of the last three', async () => {
    const values = [50, 40, 30, 30, 31, 30, 30, 30, 30, 30];
    let i = 0;
    const result = await readSettledTreeMemory(() => {
      const v = values[Math.min(i++, values.length - 1)]!;
      return { total: { pss: v, private: v, rss: v }, supervisors: { pss: v, private: v, rss: v }, loggers: { pss: 0, private: 0, rss: 0 }, processes: 1 };
    }, { minMs: 50, windowMs: 60, tolerance: 0.01, maxMs: 5000 }, 20);
    expect(result.settled).toBe(true);
    expect(result.memory.total.private).toBe(30);
  });

  it('gives up at the limit and says it did not settle', async () => {
    let v = 0;
    const result = await readSettledTreeMemory(() => {
      v += 10;
      return { total: { pss: v, private: v, rss: v }, supervisors: { pss: v, private: v, rss: v }, loggers: { pss: 0, private: 0, rss: 0 }, processes: 1 };
    }, { minMs: 0, windowMs: 40, tolerance: 0.01, maxMs: 150 }, 20);
    expect(result.settled).toBe(false);
    expect(result.afterMs).toBeGreaterThanOrEqual(150);
  });
});
