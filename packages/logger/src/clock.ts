// Wall-clock time in microseconds, as runit's taia_now gives it: Date.now() refined by the monotonic clock.
import { performance } from 'node:perf_hooks';

// Date.now() has milliseconds only. The monotonic clock supplies the microseconds; its offset to the
// wall clock is pulled back inside [Date.now(), Date.now() + 1 ms) whenever they disagree, so a
// stamp is never off by more than Date.now()'s own millisecond and follows wall-clock steps at once.
let offset = Date.now() - performance.now();

export function wallClockMicros(): number {
  const wall = Date.now();
  let estimate = offset + performance.now();
  if (estimate < wall) {
    offset += wall - estimate;
    estimate = wall;
  } else if (estimate >= wall + 1) {
    const corrected = wall + 0.999;
    offset -= estimate - corrected;
    estimate = corrected;
  }
  return Math.floor(estimate * 1000);
}
