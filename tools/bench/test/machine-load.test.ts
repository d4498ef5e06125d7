import { describe, expect, it } from 'vitest';
import { cpuSnapshot, otherWorkShare, parseProcessTimes, parseProcStat } from '../src/machine-load.js';

describe('machine load', () => {
  it('parses the cpu line of /proc/stat into busy and total jiffies', () => {
    const text = 'cpu  100 5 50 1000 20 3 2 10 0 0\ncpu0 50 2 25 500 10 1 1 5 0 0\nintr 1\n';
    expect(parseProcStat(text)).toEqual({ busy: 170, total: 1190 });
    expect(() => parseProcStat('intr 1\n')).toThrow('/proc/stat has no cpu line');
  });

  it('sums utime, stime, cutime and cstime of /proc/PID/stat, whatever the name holds', () => {
    // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const text = '42 (a (b) c) S 1 42 42 0 -1 4194560 10 20 0 0 7 3 100 50 20 0 1 0 99\n';
    expect(parseProcessTimes(text)).toBe(160);
  });

  it('takes the suite\'s own time out of the machine\'s busy time', () => {
    const before = { machineBusy: 1000, machineTotal: 10_000, ours: 200 };
    expect(otherWorkShare(before, { machineBusy: 1600, machineTotal: 11_000, ours: 500 })).toBeCloseTo(0.3, 9);
    expect(otherWorkShare(before, { machineBusy: 1100, machineTotal: 11_000, ours: 400 })).toBe(0); // reaped late
    expect(otherWorkShare(before, before)).toBe(0);
    const now = cpuSnapshot();
    expect(now.machineTotal).toBeGreaterThan(now.machineBusy);
    expect(now.ours).toBeGreaterThanOrEqual(0);
  });
});
