// The `runsvchdir` command (see docs/commands/runsvchdir.md).
import { writeSync } from 'node:fs';
import { basename } from 'node:path';
import { runsvchdir } from '../runsvchdir.js';

// Node has lost the argv[0] the command was invoked with (the kernel ran the launcher's interpreter);
// the script's name is the closest stand-in.
const argv0 = basename(process.argv[1] ?? 'runsvchdir').replace(/\.c?js$/, '');
const outcome = runsvchdir(process.argv.slice(2), argv0);
if (outcome.stdout) writeSync(1, outcome.stdout);
if (outcome.stderr) writeSync(2, outcome.stderr);
process.exitCode = outcome.code;
