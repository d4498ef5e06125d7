// The runsvdir command: arguments, the process-title log, the scanner and the hosting mode, and
// runit's signals (TERM: leave, services keep running; HUP: stop them all, exit 111) plus Ctrl-C.
import { closeSync, openSync } from 'node:fs';
import { setChildSubreaper } from '@runit-ts/native';
import { childFileLimit, protectFromOom, supervisorOomScoreAdj } from '@runit-ts/supervisor';
import { parseRunsvdirArguments } from './arguments.js';
import { compactHeapWhenQuiet } from './heap-compaction.js';
import { createReporter, fdWriter } from './diagnostics.js';
import { EXIT_FATAL, EXIT_OK, EXIT_RUNSVDIR_FATAL, EXIT_USAGE } from './exit.js';
import { createLauncher, hostingMode } from './hosting.js';
import { HTTP_VARIABLE, parseHttpAddress, withoutHttpSetting, type HttpAddress } from './http-address.js';
import { EndpointError, openHttpEndpoint } from './http-endpoint-loader.js';
import type { HttpEndpoint, SupervisionTree } from './http/tree.js';
import { RUNSVDIR_SYNOPSIS, runsvdirMessages as M, usageText } from './messages.js';
import { MIN_LOG_LENGTH, ProcTitleLog, setTitle } from './proctitle-log.js';
import { DirScanner } from './scanner.js';

/** Exit code after a second Ctrl-C gave up waiting for the services to stop. */
export const EXIT_INTERRUPTED = 130;
/**
 * A SIGINT this soon after the first is the same Ctrl-C delivered twice (the terminal signals the
 * whole foreground group, and `npm start` forwards it again), not a second request.
 */
const REPEATED_INTERRUPT_MS = 1000;

const writeStderr = fdWriter(2);

/**
 * Runs runsvdir until a signal ends it; returns the exit code for usage and start-up failures, or
 * undefined once running (the process then exits from a signal handler).
 */
export function runsvdir(args: readonly string[], argv0 = 'runsvdir', env = process.env): number | undefined {
  const parsed = parseRunsvdirArguments(args);
  if (!parsed) {
    writeStderr(usageText(argv0, RUNSVDIR_SYNOPSIS));
    return EXIT_USAGE;
  }
  const { svdir, newSession, log } = parsed;
  const prefix = ['runsvdir', ...parsed.shown].join(' ');
  const stderr = createReporter({ env });
  let titleLog: ProcTitleLog | undefined;
  if (log !== undefined) {
    if (Buffer.byteLength(log) < MIN_LOG_LENGTH) {
      stderr(M.logTooShort(svdir));
      stderr(M.logDisabled(svdir));
    } else {
      try {
        titleLog = new ProcTitleLog({ prefix, log });
      } catch {
        stderr(M.logPipeFailed(svdir));
        stderr(M.logDisabled(svdir));
      }
    }
  }
  if (!titleLog) setTitle(log === undefined ? prefix : `${prefix} ${log}`);
  try {
    closeSync(openSync('.', 'r'));
  } catch (error) {
    stderr(M.unableToOpenCwd(svdir, error));
    return EXIT_RUNSVDIR_FATAL;
  }
  // runit-ts only, opt-in: an empty value is as good as none.
  let httpAddress: HttpAddress | undefined;
  const httpSetting = env[HTTP_VARIABLE];
  if (httpSetting) {
    httpAddress = parseHttpAddress(httpSetting);
    if (!httpAddress) {
      stderr(M.httpBadSetting(svdir, httpSetting));
      return EXIT_RUNSVDIR_FATAL;
    }
  }
  const report = titleLog ? createReporter({ window: (line) => titleLog.write(line) }) : stderr;
  // what a dead service host (or runsv) leaves running becomes runsvdir's child, not PID 1's: its exit
  // is seen here, and a successor can take it over (docs/decisions/0007)
  try {
    setChildSubreaper();
  } catch {
    // not on this kernel: a host that dies leaves its services to PID 1, still adopted, without statuses
  }
  const launcher = createLauncher(hostingMode(env), {
    svdir,
    newSession,
    // the scanner and the host stay when memory runs out; what runsvdir starts gets its value back
    childOomScoreAdj: protectFromOom(supervisorOomScoreAdj(env)),
    // runsvdir keeps a log pipe per service for the host's successor; what it starts gets the soft
    // limit runsvdir was started with back
    childFileLimit: childFileLimit(env),
    stderrFd: titleLog?.writeFd ?? 2,
    logReadFd: titleLog?.readFd,
    env: withoutHttpSetting(env),
    report,
  });
  let endpoint: HttpEndpoint | undefined;
  const tableChanged = (): void => {
    compactHeapWhenQuiet();
    endpoint?.servicesChanged();
  };
  const scanner = new DirScanner({ svdir, launcher, report, tableChanged });
  const flushed = (): Promise<void> => launcher.flush?.() ?? Promise.resolve();
  let interruptedAt: number | undefined;
  process.on('SIGTERM', () => {
    scanner.stop();
    void flushed().then(() => process.exit(EXIT_OK));
  });
  process.on('SIGHUP', () => {
    void scanner.terminateAll();
    void flushed().then(() => process.exit(EXIT_FATAL));
  });
  // Ctrl-C: stop every service and wait until all are down. Another Ctrl-C gives up waiting; the
  // services still stopping finish doing so under their supervisors.
  process.on('SIGINT', () => {
    if (interruptedAt !== undefined) {
      if (performance.now() - interruptedAt >= REPEATED_INTERRUPT_MS) void flushed().then(() => process.exit(EXIT_INTERRUPTED));
      return;
    }
    interruptedAt = performance.now();
    void scanner
      .terminateAll()
      .then(() => launcher.close?.())
      .then(() => process.exit(EXIT_OK));
  });
  const begin = (): void => {
    scanner.start();
    titleLog?.startDots();
  };
  if (!httpAddress) {
    begin();
    return undefined;
  }
  // The endpoint listens before the first scan, so that nothing is started when it cannot.
  const tree: SupervisionTree = {
    services: () => scanner.services,
    scans: () => scanner.scans,
    scanning: () => scanner.scanning,
    processes: () => [{ name: 'runsvdir', pid: process.pid }, ...(launcher.hostProcesses?.() ?? [])],
  };
  openHttpEndpoint({ address: httpAddress, svdir, tree, report }).then(
    (opened) => {
      endpoint = opened;
      begin();
    },
    (error: unknown) => {
      if (error instanceof EndpointError) stderr(error.diagnostic);
      else stderr(M.internal(svdir, String(error)));
      process.exit(EXIT_RUNSVDIR_FATAL);
    },
  );
  return undefined;
}
