// One full collection once a burst of work (services added or removed) has been quiet for a while.
// A daemon that goes idle after its start-up never collects again by itself, so V8 keeps the pages
// the burst grew into; a collection also arms V8's memory reducer, which gives them back a few seconds
// later. Measured: runsvdir over 50 services settles at 8.2 MB private instead of 9.4 MB (see
// docs/decisions/0003 for the host, where --max-semi-space-size=1 does most of the work).
// Only the runsvdir and runsvdir-host programs call this: a library must not change its host's V8 flags.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;
let timer: NodeJS.Timeout | undefined;

function fullCollection(): void {
  if (!collect) {
    // The documented way to reach gc() without starting Node with --expose-gc.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** Asks for one full collection `quietMs` after the last call; calls in between postpone it. */
export function compactHeapWhenQuiet(quietMs = 2000): void {
  if (timer) {
    timer.refresh();
    return;
  }
  timer = setTimeout(() => {
    timer = undefined;
    fullCollection();
  }, quietMs);
  timer.unref();
}
