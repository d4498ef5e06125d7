// The `runsvchdir` command (see docs/commands/runsvchdir.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { invokedAs } from '@runit-ts/native';
import { runsvchdir } from '../runsvchdir.js';

const outcome = runsvchdir(process.argv.slice(2), invokedAs('runsvchdir'));
if (outcome.stdout) writeSync(1, outcome.stdout);
if (outcome.stderr) writeSync(2, outcome.stderr);
process.exitCode = outcome.code;
