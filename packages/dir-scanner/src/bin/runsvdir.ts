// The `runsvdir` command (see docs/commands/runsvdir.md).
import { basename } from 'node:path';
import { runsvdir } from '../runsvdir.js';

// Node has lost the argv[0] the command was invoked with (the kernel ran the launcher's interpreter);
// the script's name is the closest stand-in.
const argv0 = basename(process.argv[1] ?? 'runsvdir').replace(/\.c?js$/, '');
const code = runsvdir(process.argv.slice(2), argv0);
if (code !== undefined) process.exitCode = code;
