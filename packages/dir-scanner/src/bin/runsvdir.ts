// The `runsvdir` command (see docs/commands/runsvdir.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { writeSync } from 'node:fs';
import { constants } from 'node:os';
import { invokedAs, setSignalDispositions } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { RUNSVDIR_SYNOPSIS, usageText } from '../messages.js';
import { runsvdir } from '../runsvdir.js';

// Unlike runit's runsvdir, ours writes to a pipe of its own (the service host's commands): a host
// that died must give EPIPE to handle, not kill runsvdir and every service with it.
setSignalDispositions([], [constants.signals.SIGPIPE]);

const args = process.argv.slice(2);
if (asksForHelp(args)) {
  writeSync(1, helpText(usageText('runsvdir', RUNSVDIR_SYNOPSIS), 'runsvdir', manFile(import.meta.url, 'runsvdir')));
  process.exit(EXIT_HELP);
}
const code = runsvdir(args, invokedAs('runsvdir'));
if (code !== undefined) process.exitCode = code;
