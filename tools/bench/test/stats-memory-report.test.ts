import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { childPids } from '@runit-ts/test-support';
import { parseSmapsRollup, parseStatusField, processTree, readMemory, readPeakRss } from '../src/proc-memory.js';
import { chartRow, formatValue, shorten, goalRatio, loadWarning, renderChart, renderMarkdown, verdict, type ReportSection } from '../src/report.js';
import { interleave, interleaveAll, type Metric } from '../src/scenario.js';
import { linearFit, median, quantile, ratio, summarize } from '../src/stats.js';

describe('statistics', () => {
  it('computes medians and interpolated quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([0, 10], 0.1)).toBe(1);
    expect(summarize([5, 1, 9])).toEqual({ count: 3, median: 5, p10: 1.8, p90: 8.2, min: 1, max: 9 });
    expect(() => median([])).toThrow(RangeError);
    expect(() => quantile([1], 2)).toThrow(RangeError);
  });

  it('gives the ratio of medians', () => {
    expect(ratio([2, 2, 100], [1, 1, 1])).toBe(2);
    expect(ratio([1], [])).toBeUndefined();
    expect(ratio([1], [0])).toBeUndefined();
  });

  it('fits a floor and a per-service cost', () => {
    const fit = linearFit([[1, 1100], [10, 2000], [50, 6000]]);
    expect(fit.perUnit).toBeCloseTo(100, 6);
    expect(fit.floor).toBeCloseTo(1000, 6);
    expect(() => linearFit([[1, 1]])).toThrow(RangeError);
    expect(() => linearFit([[1, 1], [1, 2]])).toThrow(RangeError);
  });

  it('interleaves A and B, alternating which goes first', async () => {
    const order: string[] = [];
    const [a, b] = await interleave(
      3,
      async () => (order.push('a'), 1),
      async () => (order.push('b'), 2),
    );
    expect(order.join('')).toBe('abbaab');
    expect(a).toEqual([1, 1, 1]);
    expect(b).toEqual([2, 2, 2]);
  });

  it('interleaves any number of sides, each round starting one side further', async () => {
    const order: string[] = [];
    const side = (name: string) => async () => (order.push(name), name);
    const samples = await interleaveAll(3, [side('a'), side('b'), side('c')]);
    expect(order.join('')).toBe('abcbcacab');
    expect(samples).toEqual([['a', 'a', 'a'], ['b', 'b', 'b'], ['c', 'c', 'c']]);
    expect(await interleaveAll(0, [side('a')])).toEqual([[]]);
  });
});

describe('/proc memory', () => {
  it('parses smaps_rollup into bytes', () => {
    const text = [
      '55d0a0000000-7ffd8e5ff000 ---p 00000000 00:00 0                          [rollup]',
      'Rss:               41236 kB',
      'Pss:               27011 kB',
      'Pss_Dirty:         20000 kB',
      'Shared_Clean:      13112 kB',
      'Shared_Dirty:          0 kB',
      'Private_Clean:      1024 kB',
      'Private_Dirty:     27100 kB',
    ].join('\n');
    expect(parseSmapsRollup(text)).toEqual({ rss: 41236 * 1024, pss: 27011 * 1024, private: 28124 * 1024 });
    expect(() => parseSmapsRollup('Rss: 1 kB')).toThrow('smaps_rollup has no Pss line');
  });

  it('parses kB fields of /proc/PID/status and reads this process\'s peak RSS', () => {
    const text = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n';
    expect(parseStatusField(text, 'VmHWM')).toBe(51200 * 1024);
    expect(parseStatusField(text, 'VmRSS')).toBe(40000 * 1024);
    expect(() => parseStatusField(text, 'VmSwap')).toThrow('/proc status has no VmSwap line');
    const peak = readPeakRss(process.pid)!;
    expect(peak).toBeGreaterThanOrEqual(readMemory(process.pid).rss / 2);
    expect(readPeakRss(0x7ffffff0)).toBeUndefined();
  });

  it('reads this process and walks its tree', () => {
    const mine = readMemory(process.pid);
    expect(mine.pss).toBeGreaterThan(0);
    expect(mine.private).toBeLessThanOrEqual(mine.rss);
    const parent = process.ppid;
    expect(childPids(parent)).toContain(process.pid);
    expect(processTree(parent)).toContain(process.pid);
    expect(processTree(parent, (pid) => pid === process.pid)).not.toContain(process.pid);
    expect(readFileSync(`/proc/${process.pid}/smaps_rollup`, 'utf8')).toMatch(/^Pss:/m);
  });
});

describe('report', () => {
  const metrics: Metric[] = [
    { id: 'a', label: 'restart latency', unit: 'ms', ours: [2, 3, 4], runit: [3, 3, 3], goal: { kind: 'ratio', max: 1, against: 'runit', text: 'no slower' } },
    {
      id: 'b',
      label: 'sv status <wall>',
      unit: 'ms',
      ours: [80],
      runit: [1],
      baseline: { label: 'node -e 0', samples: [75] },
      goal: { kind: 'ratio', max: 1.1, against: 'baseline', text: 'within 10%' },
    },
    { id: 'c', label: 'lines lost', unit: 'lines', ours: [0, 2], runit: [0, 0], note: 'must be 0', goal: { kind: 'value', max: 0, of: 'worst', text: 'none' } },
    { id: 'd', label: 'scan', unit: 'ms', ours: [40, 60, 200], runit: [1000], goal: { kind: 'value', max: 100, of: 'median', text: 'fast' } },
    { id: 'e', label: 'floor', unit: 'MiB', ours: [20], runs: 6 },
  ];
  const machine = {
    cores: 2,
    kernel: '6.1',
    node: 'v20',
    cpu: 'x',
    date: '2026-01-01',
    loadBefore: '1.00 2.00 3.00',
    loadAfter: '5.00 5.00 6.00',
    otherWork: 0.4,
  };
  const sections: ReportSection[] = [
    { name: 'first', description: 'what it measures', metrics: metrics.slice(0, 3), details: 'a details paragraph' },
    { name: 'second', description: 'more', metrics: metrics.slice(3) },
    { name: 'broken', description: 'needs root', metrics: [], error: 'bench: broken needs root\nstack' },
  ];

  it('judges goals on ratios to runit or to the baseline, and on values', () => {
    expect(goalRatio(metrics[0]!)).toBe(1);
    expect(verdict(metrics[0]!)).toBe('met');
    expect(goalRatio(metrics[1]!)).toBeCloseTo(80 / 75, 9);
    expect(verdict(metrics[1]!)).toBe('met');
    expect(verdict(metrics[2]!)).toBe('not met'); // the worst run lost lines
    expect(verdict(metrics[3]!)).toBe('met'); // median 60 ms
    expect(verdict(metrics[4]!)).toBe('');
    expect(verdict({ ...metrics[1]!, ours: [90] })).toBe('not met');
    expect(verdict({ ...metrics[0]!, ours: [-5] })).toBe('unclear'); // a fit drowned in noise
    expect(chartRow({ ...metrics[0]!, ours: [-5] })).toBeUndefined(); // not on a log scale
    expect(chartRow({ ...metrics[0]!, goal: undefined, ours: [-5] })).toBeUndefined();
  });

  it('formats values with digits by magnitude, whole numbers for counts', () => {
    expect(formatValue(2.345, 'ms')).toBe('2.35 ms');
    expect(formatValue(23.45, 'ms')).toBe('23.4 ms');
    expect(formatValue(234.5, 'KiB')).toBe('235 KiB');
    expect(formatValue(2, 'lines')).toBe('2 lines');
  });

  it('tables medians, both ratios, goals, notes, machine and load, and a spread per side', () => {
    const md = renderMarkdown(sections, machine, { quick: false, chartFile: 'benchmarks.svg', durationSeconds: 61 });
    expect(md).toContain('only the ratios carry over');
    expect(md).toContain('load average 1.00 2.00 3.00 at the start, 5.00 5.00 6.00 at the end');
    expect(md).toContain('other work used 40 % of the machine\'s CPU time meanwhile');
    expect(md).toContain('**The machine was busy with other work during this run** (40 % of its CPU time)');
    expect(loadWarning({ ...machine, otherWork: 0.25 })).toEqual([]);
    expect(md).toContain('| restart latency | 3 | 3.00 ms | 3.00 ms | 1.00 |  |  | no slower (ours ÷ runit ≤ 1) | met |');
    expect(md).toContain('| sv status <wall> | 1 | 80.0 ms | 1.00 ms | 80.00 | node -e 0: 75.0 ms | 1.07 | within 10% (ours ÷ node -e 0 ≤ 1.1) | met |');
    expect(md).toContain('| lines lost | 2 | 1 lines | 0 lines | – |  |  | none (every run ≤ 0 lines) | not met |');
    expect(md).toContain('| scan | 3 | 60.0 ms | 1000 ms | 0.06 |  |  | fast (median ≤ 100 ms) | met |');
    expect(md).toContain('| floor | 6 | 20.0 MiB | – | – |  |  |  |  |');
    expect(md).toContain('- **lines lost**: must be 0');
    expect(md).toContain('![ours/runit ratio per metric, with its goal](benchmarks.svg)');
    expect(md).toContain('### first\n\nwhat it measures.\n\na details paragraph');
    expect(md).toContain('| restart latency | runit-ts | 3 | 2.00 ms | 2.20 ms | 3.00 ms | 3.80 ms | 4.00 ms |');
    expect(md).not.toContain('| sv status <wall> | runit-ts |'); // one sample: no spread
    expect(md).not.toContain('quick mode');
    expect(md).toContain('**Failed scenarios** (no figures): broken; see their sections below.');
    expect(md).toContain('### broken\n\nneeds root.\n\n**Failed:** bench: broken needs root\n');
    expect(renderMarkdown(sections, machine, { quick: true, chartFile: 'x.svg', durationSeconds: 1 })).toContain('quick mode');
  });

  it('charts the goal\'s ratio with its limit, else ours/runit without one', () => {
    expect(chartRow(metrics[1]!)).toEqual({ label: 'sv status <wall> ÷ node -e 0', r: 80 / 75, goal: 1.1, colour: '#3a7d44' });
    expect(chartRow(metrics[2]!)).toBeUndefined(); // 1/0
    expect(chartRow(metrics[3]!)).toEqual({ label: 'scan', r: 0.06, colour: '#3a7d44' }); // no limit on this ratio
    expect(chartRow(metrics[4]!)).toBeUndefined();
    expect(chartRow({ ...metrics[0]!, chart: false })).toBeUndefined();
  });

  it('shortens labels that would not fit', () => {
    expect(shorten('abcdef', 6)).toBe('abcdef');
    expect(shorten('abcdefg', 6)).toBe('abcde…');
  });

  it('draws one bar per charted metric, escaped', () => {
    const svg = renderChart(metrics);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('sv status &lt;wall&gt; ÷ node -e 0');
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).not.toContain('lines lost');
  });
});
