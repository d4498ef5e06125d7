import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { childrenOf, parseSmapsRollup, processTree, readMemory } from '../src/proc-memory.js';
import { renderChart, renderMarkdown } from '../src/report.js';
import { interleave, type Metric } from '../src/scenario.js';
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

  it('reads this process and walks its tree', () => {
    const mine = readMemory(process.pid);
    expect(mine.pss).toBeGreaterThan(0);
    expect(mine.private).toBeLessThanOrEqual(mine.rss);
    const parent = process.ppid;
    expect(childrenOf(parent)).toContain(process.pid);
    expect(processTree(parent)).toContain(process.pid);
    expect(readFileSync(`/proc/${process.pid}/smaps_rollup`, 'utf8')).toMatch(/^Pss:/m);
  });
});

describe('report', () => {
  const metrics: Metric[] = [
    { id: 'a', label: 'restart latency', unit: 'ms', ours: [2, 3, 4], runit: [3, 3, 3], goal: { maxRatio: 1, text: 'no slower' } },
    { id: 'b', label: 'sv status <wall>', unit: 'ms', ours: [80], runit: [1], baseline: { label: 'node -e 0', samples: [75] } },
    { id: 'c', label: 'lines lost', unit: 'lines', ours: [0], note: 'must be 0' },
  ];
  const machine = { cores: 2, kernel: '6.1', node: 'v20', cpu: 'x', date: '2026-01-01' };

  it('tables medians, ratios, goals and notes', () => {
    const md = renderMarkdown(metrics, machine, false, 'benchmarks.svg');
    expect(md).toContain('only the ratios carry over');
    expect(md).toContain('| restart latency | 3 | 3.00 ms | 3.00 ms | 1.00 |  | no slower (ratio ≤ 1) | met |');
    expect(md).toContain('| sv status <wall> | 1 | 80.0 ms | 1.00 ms | 80.00 | node -e 0: 75.0 ms |  |  |');
    expect(md).toContain('| lines lost | 1 | 0.00 lines | – | – |');
    expect(md).toContain('- **lines lost**: must be 0');
    expect(md).toContain('![ours/runit ratio per metric, with its goal](benchmarks.svg)');
  });

  it('draws one bar per metric with a ratio, escaped', () => {
    const svg = renderChart(metrics);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('sv status &lt;wall&gt;');
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).not.toContain('lines lost');
  });
});
