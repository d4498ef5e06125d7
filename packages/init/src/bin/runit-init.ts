// The `runit-init` command (see docs/commands/runit-init.md).
import { basename } from 'node:path';
import { runRunitInit } from '../runit-init.js';

// Node has lost the argv[0] the command was invoked with (the kernel ran the launcher's interpreter);
// the script's name is the closest stand-in.
const argv0 = basename(process.argv[1] ?? 'runit-init').replace(/\.c?js$/, '');
process.exitCode = runRunitInit(process.argv.slice(2), argv0);
