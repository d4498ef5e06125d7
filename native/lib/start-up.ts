// The first import of every runit-ts program (before anything else runs): signal dispositions as
// runit's programs have them, no inspector left open by a SIGUSR1 that came during Node's own start-up,
// and what the launcher passes (argv[0], the environment's order) taken in. Why: docs/security.md.
import { url as inspectorUrl } from 'node:inspector';
import { takeLauncherEnvOrder } from './env-order.js';
import { takeLauncherArgv0 } from './invoked-as.js';
import { binding } from './load.js';
import { takeRawArgv } from './raw-argv.js';
import { takeRawEnvironment } from './raw-environ.js';

const SIGUSR1 = 10;
const SIGSEGV = 11;
const SIGKILL = 9;
const SIGSTOP = 19;

/**
 * Every classic signal Node may have changed from the C default (measured on Node 20: SIGPIPE and
 * SIGXFSZ ignored; SIGINT, SIGTERM and SIGUSR1 caught), back to SIG_DFL. Kept: SIGSEGV (Node's
 * WebAssembly trap handler; any other fault still ends the process by SIGSEGV) and glibc's 32 and 33
 * (its thread cancellation and set*id broadcast: resetting them in a threaded process breaks setuid).
 */
export const DEFAULTED_AT_START = Array.from({ length: 31 }, (_, i) => i + 1).filter(
  (sig) => sig !== SIGKILL && sig !== SIGSTOP && sig !== SIGSEGV,
);

/**
 * The inspector was started (a SIGUSR1 that reached Node's handler before the reset below): end the
 * process as that SIGUSR1 ends runit's programs. inspector.close() is not used: it waits for connected
 * clients, and death closes the socket at once. SIGUSR1 is at SIG_DFL by then, so kill(2) does not return.
 */
function dieOfSigusr1(): never {
  binding.setSignalDispositions([SIGUSR1], []);
  process.kill(process.pid, SIGUSR1);
  throw new Error('SIGUSR1 did not end the process');
}

// Node emits this synchronously right after its inspector's socket starts listening (its
// NotifyClusterWorkersDebugEnabled, in Node 20 as in later releases), also for a start that was
// still pending when the reset below ran.
process.on('internalMessage', (message: { cmd?: unknown } | null) => {
  if (message?.cmd === 'NODE_DEBUG_ENABLED') dieOfSigusr1();
});
binding.setSignalDispositions(DEFAULTED_AT_START, []);
// An inspector asked for on node's own command line (a developer's `node --inspect x.cjs`) is left
// alone: our launchers and daemons never pass one, and they keep every NODE_* variable from node.
const askedFor = process.execArgv.some((flag) => flag.startsWith('--inspect'));
if (inspectorUrl() !== undefined && !askedFor) dieOfSigusr1();
takeRawEnvironment();
takeRawArgv();
takeLauncherArgv0();
takeLauncherEnvOrder();
