// compactHeapWhenQuiet in a Node process of its own (it changes V8 flags): one major collection
// after the quiet time, postponed by calls in between, and a timer that never keeps the process up.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('../dist/heap-compaction.js', import.meta.url).href;

/** Runs a script that can import the module; returns what it printed. */
function runScript(body: string): string {
  const script = `import { compactHeapWhenQuiet } from ${JSON.stringify(moduleUrl)};
import { PerformanceObserver, constants } from 'node:perf_hooks';
const majors = [];
const t0 = performance.now();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(Math.round(e.startTime - t0));
}).observe({ entryTypes: ['gc'] });
${body}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
}

describe('compactHeapWhenQuiet', () => {
  it('runs one major collection once calls have stopped for the quiet time', () => {
    const out = runScript(`
compactHeapWhenQuiet(300);
setTimeout(() => compactHeapWhenQuiet(300), 200);
setTimeout(() => compactHeapWhenQuiet(300), 400);
setTimeout(() => console.log(JSON.stringify(majors)), 1200);
`);
    const majors = JSON.parse(out) as number[];
    expect(majors).toHaveLength(1);
    // the last call came at 400 ms, so the collection is not due before 700 ms
    expect(majors[0]).toBeGreaterThanOrEqual(690);
  });

  it('does not keep an otherwise finished process alive', () => {
    const started = performance.now();
    runScript(`compactHeapWhenQuiet(60_000);`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

