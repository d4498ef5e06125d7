// The service host runsvdir starts (not a command of its own): see service-host.ts.
import { fstatSync } from 'node:fs';
import { HOST_FD } from '../host-protocol.js';
import { setTitle } from '../proctitle-log.js';
import { ServiceHost } from '../service-host.js';

const newSession = process.argv.includes('-P');
const svdir = process.argv[process.argv.length - 1] ?? '';
setTitle(`runsvdir-host ${svdir}`, 'runsvdir-host');

const hasFd = (fd: number): boolean => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

const host = new ServiceHost({
  newSession,
  logDrainFd: hasFd(HOST_FD.logDrain) ? HOST_FD.logDrain : undefined,
  done: () => process.exit(0),
});
// The terminal's SIGINT and SIGHUP reach the whole process group: runsvdir decides what they mean.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);
process.on('SIGTERM', () => host.terminateAll());
