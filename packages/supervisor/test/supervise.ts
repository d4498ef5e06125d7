// Runs a ServiceSupervisor in this test process, with its output and diagnostics captured, and
// stops it (and every child it has) at clean-up. For test files that use the reaper only.
import { closeSync, openSync } from 'node:fs';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { diagnosticText, ServiceSupervisor, type Diagnostic, type SupervisorEnd, type SupervisorOptions } from '../src/index.js';

export interface Supervised {
  sup: ServiceSupervisor;
  /** Every diagnostic line, as `<level>: <text>`. */
  diagnostics: string[];
  /** The file the children's stdout and stderr go to. */
  out: string;
  /** Set once the supervisor ended. */
  end: () => SupervisorEnd | undefined;
}

export function supervisor(cleanup: Cleanup, dir: string, options: Partial<SupervisorOptions> = {}): Supervised {
  const out = `${dir}.out`;
  const fd = openSync(out, 'a');
  cleanup.add(() => closeSync(fd));
  const diagnostics: string[] = [];
  const sup = new ServiceSupervisor({
    dir,
    stdoutFd: fd,
    stderrFd: fd,
    diagnostics: (d: Diagnostic) => diagnostics.push(`${d.level}: ${diagnosticText(d)}`),
    ...options,
  });
  let ended: SupervisorEnd | undefined;
  void sup.ended.then((end) => (ended = end));
  cleanup.add(() => stopSupervisor(sup));
  return { sup, diagnostics, out, end: () => ended };
}

/** Starts a supervisor and registers its clean-up. */
export async function supervise(cleanup: Cleanup, dir: string, options: Partial<SupervisorOptions> = {}): Promise<Supervised> {
  const supervised = supervisor(cleanup, dir, options);
  await supervised.sup.start();
  return supervised;
}

/** x, then SIGKILL to whatever still runs until the supervisor has ended. */
export async function stopSupervisor(sup: ServiceSupervisor): Promise<void> {
  let ended = false;
  void sup.ended.then(() => (ended = true));
  void sup.terminate();
  await waitFor(
    () => {
      if (ended) return true;
      for (const pid of Object.values(sup.pids())) {
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
      return false;
    },
    `supervisor of ${sup.name} to end`,
    20_000,
  );
}
