// The `runit-init` command (see docs/commands/runit-init.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { basename } from 'node:path';
import { invokedPath } from '@runit-ts/native';
import { runRunitInit } from '../runit-init.js';

// The kernel hands the launcher its own path, not the argv[0] typed: its name is the closest stand-in.
const argv0 = basename(invokedPath() ?? 'runit-init').replace(/\.c?js$/, '');
process.exitCode = runRunitInit(process.argv.slice(2), argv0);
