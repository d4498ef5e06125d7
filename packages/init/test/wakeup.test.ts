// The loop's wake-up (runit's self-pipe as a promise) and the bounded wait used for stage 2's TERM.
import { describe, expect, it } from 'vitest';
import { Wakeup, within } from '../src/wakeup.js';

describe('Wakeup', () => {
  it('keeps a notify that comes before the wait, once', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    wakeup.notify();
    let woke = false;
    await wakeup.wait(60_000).then(() => (woke = true));
    expect(woke).toBe(true);
    // The second notify merged into the first: the next wait runs into its timeout.
    const outcome = await Promise.race([wakeup.wait(50).then(() => 'timeout'), new Promise((r) => setTimeout(() => r('stuck'), 30_000))]);
    expect(outcome).toBe('timeout');
  });

  it('ends a wait at the next notify', async () => {
    const wakeup = new Wakeup();
    const waiting = wakeup.wait(60_000).then(() => 'notified');
    setImmediate(() => wakeup.notify());
    expect(await waiting).toBe('notified');
  });

  it('forgets a wait that timed out: a later notify is kept for the next wait', async () => {
    const wakeup = new Wakeup();
    await wakeup.wait(10);
    wakeup.notify();
    const outcome = await Promise.race([wakeup.wait(60_000).then(() => 'notified'), new Promise((r) => setTimeout(() => r('lost'), 30_000))]);
    expect(outcome).toBe('notified');
  });
});

describe('within', () => {
  it('is true when the promise settles first, false when the time runs out first', async () => {
    expect(await within(Promise.resolve(), 60_000)).toBe(true);
    expect(await within(new Promise(() => {}), 20)).toBe(false);
  });
});
