// The `runit-init` command (see docs/commands/runit-init.md).
import { writeSync } from 'node:fs';
import { basename } from 'node:path';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { runitInitMessages } from '../messages.js';
import { runRunitInit } from '../runit-init.js';

// As process no 1, arguments come from the kernel's command line and are never options.
if (process.pid !== 1 && asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(runitInitMessages.usage('runit-init'), 'runit-init', manFile(import.meta.url, 'runit-init')));
  process.exit(EXIT_HELP);
}

// Node has lost the argv[0] the command was invoked with (the kernel ran the launcher's interpreter);
// the script's name is the closest stand-in.
const argv0 = basename(process.argv[1] ?? 'runit-init').replace(/\.c?js$/, '');
process.exitCode = runRunitInit(process.argv.slice(2), argv0);
