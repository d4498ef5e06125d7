// The `runsvdir` command (see docs/commands/runsvdir.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { constants } from 'node:os';
import { invokedAs, setSignalDispositions } from '@runit-ts/native';
import { runsvdir } from '../runsvdir.js';

// Unlike runit's runsvdir, ours writes to a pipe of its own (the service host's commands): a host
// that died must give EPIPE to handle, not kill runsvdir and every service with it.
setSignalDispositions([], [constants.signals.SIGPIPE]);

const code = runsvdir(process.argv.slice(2), invokedAs('runsvdir'));
if (code !== undefined) process.exitCode = code;
