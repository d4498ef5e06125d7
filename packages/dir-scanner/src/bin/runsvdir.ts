// The `runsvdir` command (see docs/commands/runsvdir.md).
import '@runit-ts/native/stdio-guard'; // first: before anything can touch process.stderr
import { invokedAs } from '../invoked-as.js';
import { runsvdir } from '../runsvdir.js';

const code = runsvdir(process.argv.slice(2), invokedAs('runsvdir'));
if (code !== undefined) process.exitCode = code;
