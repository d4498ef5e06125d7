// The service host runsvdir starts (not a command of its own): see service-host.ts.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { constants } from 'node:os';
import { setSignalDispositions } from '@runit-ts/native';
import { protectFromOom } from '@runit-ts/supervisor';
import { compactHeapWhenQuiet } from '../heap-compaction.js';
import { offerHandOff } from '@runit-ts/logger';
import { HOST_FD } from '../host-protocol.js';
import { setTitle } from '../proctitle-log.js';
import { hostedSvlogdWanted, ServiceHost } from '../service-host.js';

// The host writes to pipes of its own (events to runsvdir, hosted logs' processors) and to hosted log
// files: a closed pipe or a file over RLIMIT_FSIZE is one service's error (EPIPE, EFBIG), never the
// death of every service by SIGPIPE or SIGXFSZ.
setSignalDispositions([], [constants.signals.SIGPIPE, constants.signals.SIGXFSZ]);

// argv: [-P] [-d] svdir (-d: fd 5 is the log pipe's read end); runsvdir is the only caller.
const args = process.argv.slice(2);
const newSession = args.includes('-P');
const svdir = args[args.length - 1] ?? '';
setTitle(`runsvdir-host ${svdir}`, 'runsvdir-host');

const host = new ServiceHost({
  newSession,
  // lowered before any service starts; the services get back the value the host was started with
  childOomScoreAdj: protectFromOom(),
  runsvdirPid: process.ppid,
  logDrainFd: args.includes('-d') ? HOST_FD.logDrain : undefined,
  done: () => process.exit(0),
  obeyed: () => compactHeapWhenQuiet(),
  ...(hostedSvlogdWanted(process.env) ? { logHandOff: offerHandOff } : {}),
});
// The terminal's SIGINT and SIGHUP reach the whole process group: runsvdir decides what they mean.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.on('SIGTERM', () => host.terminateAll());
