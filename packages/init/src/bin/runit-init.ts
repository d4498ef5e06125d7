// The `runit-init` command (see docs/commands/runit-init.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { basename } from 'node:path';
import { invokedPath } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { runitInitMessages } from '../messages.js';
import { runRunitInit } from '../runit-init.js';

// As process no 1, arguments come from the kernel's command line and are never options.
if (process.pid !== 1 && asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(runitInitMessages.usage('runit-init'), 'runit-init', manFile(import.meta.url, 'runit-init')));
  process.exit(EXIT_HELP);
}

// The kernel hands the launcher its own path, not the argv[0] typed: its name is the closest stand-in.
const argv0 = basename(invokedPath() ?? 'runit-init').replace(/\.c?js$/, '');
process.exitCode = runRunitInit(process.argv.slice(2), argv0);
