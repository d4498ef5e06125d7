// runit's self-pipe, as a promise: signals and the stage's exit wake the loop; a wake-up that comes
// while nobody waits is kept for the next wait, and a wait ends anyway after its timeout.

export class Wakeup {
  private pending = false;
  private release: (() => void) | undefined;

  notify(): void {
    if (this.release) this.release();
    else this.pending = true;
  }

  /** Resolves at the next notify (or at once if one is pending), or after timeoutMs. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.release = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.release = done;
    });
  }
}

/** Resolves true when promise settles within ms, false when ms pass first; the timer never lingers. */
export function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
