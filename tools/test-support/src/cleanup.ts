// Temp dirs and processes a test made, removed and ended (by pid) even when the test fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Collects cleanup actions; call run() in afterEach/afterAll. Actions run last-in first-out. */
export class Cleanup {
  private readonly actions: Array<() => void | Promise<void>> = [];

  add(action: () => void | Promise<void>): void {
    this.actions.push(action);
  }

  tempDir(prefix = 'runit-ts-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Ends pid (and, if asked, its process group) with SIGKILL at cleanup, if it still runs. */
  killLater(pid: number, group = false): void {
    this.add(() => {
      try {
        process.kill(group ? -pid : pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.actions.length > 0) {
      const action = this.actions.pop()!;
      try {
        await action();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }
}
