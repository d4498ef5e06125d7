// The `runsvchdir` command (see docs/commands/runsvchdir.md).
import { writeSync } from 'node:fs';
import { invokedAs } from '../invoked-as.js';
import { runsvchdir } from '../runsvchdir.js';

const outcome = runsvchdir(process.argv.slice(2), invokedAs('runsvchdir'));
if (outcome.stdout) writeSync(1, outcome.stdout);
if (outcome.stderr) writeSync(2, outcome.stderr);
process.exitCode = outcome.code;
