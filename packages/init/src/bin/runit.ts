// The `runit` command: runit as PID 1 (see docs/commands/runit.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
// Next: Node's own warnings must not open the console (fd 2) as a libuv stream.
import '@runit-ts/native/stdio-guard';
import { writeSync } from 'node:fs';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { RUNIT_USAGE } from '../messages.js';
import { runRunit } from '../runit.js';

// As process no 1, arguments come from the kernel's command line and are never options.
if (process.pid !== 1 && asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(RUNIT_USAGE, 'runit', manFile(import.meta.url, 'runit')));
  process.exit(EXIT_HELP);
}
// Settles with 111 outside PID 1, and in container mode with the container's code at its end.
void runRunit().then((code) => process.exit(code));
