// compactHeapWhenQuiet in a Node process of its own (it changes V8 flags): one major collection
// after the quiet time, postponed by calls in between, and a timer that never keeps the process up.
// Nothing here measures how long anything took: the script records when each call and marker ran and
// when the collection started, on one clock, and Node runs due timers in the order of their deadlines,
// so the order of those events is the same on an idle machine and on a loaded one.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('../dist/heap-compaction.js', import.meta.url).href;

/** Runs a script that can import the module and sees every major collection; returns what it printed. */
function runScript(body: string): string {
  const script = `import { compactHeapWhenQuiet } from ${JSON.stringify(moduleUrl)};
import { PerformanceObserver, constants } from 'node:perf_hooks';
const majors = [];
const onMajor = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    majors.push({ at: e.startTime, forced: (e.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0 });
    for (const listener of onMajor) listener();
  }
}).observe({ entryTypes: ['gc'] });
${body}`;
  // The timeout only ends a hung script; no assertion depends on it.
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
}

interface Timeline {
  calls: number[];
  /** A timer set at the last call for half the quiet time. */
  halfQuiet: number;
  majors: Array<{ at: number; forced: boolean }>;
}

describe('compactHeapWhenQuiet', () => {
  it('runs one major collection once calls have stopped for the quiet time', () => {
    // Calls at 0, 200 and 400 ms with a quiet time of 300 ms: a timer that the second call did not
    // postpone would be due at 300, before the third call's timer, and Node would run it first.
    const out = runScript(`
const calls = [];
let halfQuiet;
const call = () => { calls.push(performance.now()); compactHeapWhenQuiet(300); };
// Keeps the process up and wakes its loop: Node hands GC entries to observers in an immediate that
// does not wake a loop sleeping until its next timer.
const keepAlive = setInterval(() => {}, 20);
onMajor.push(() => {
  if (!majors.some((m) => m.forced)) return;
  clearInterval(keepAlive);
  console.log(JSON.stringify({ calls, halfQuiet, majors }));
});
// Each timer is set before the call it is compared with, so its deadline can only be the earlier one.
setTimeout(call, 200);
setTimeout(() => { setTimeout(() => (halfQuiet = performance.now()), 150); call(); }, 400);
call();
`);
    const { calls, halfQuiet, majors } = JSON.parse(out) as Timeline;
    expect(calls).toHaveLength(3);
    // One collection, the forced one, and none before it.
    expect(majors).toEqual([{ at: expect.any(Number), forced: true }]);
    // After the last call, and after a timer set at that call for half the quiet time.
    expect(majors[0]!.at).toBeGreaterThan(calls[2]!);
    expect(halfQuiet).toBeDefined();
    expect(majors[0]!.at).toBeGreaterThan(halfQuiet);
  });

  it('does not keep an otherwise finished process alive', () => {
    // 'beforeExit' comes only once the event loop has nothing left to wait for; with a ref'd timer
    // it would come after the collection, 10 minutes later.
    const out = runScript(`
compactHeapWhenQuiet(600_000);
process.on('beforeExit', () => console.log(JSON.stringify(majors)));
`);
    expect(JSON.parse(out)).toEqual([]);
  }, 90_000);
});
