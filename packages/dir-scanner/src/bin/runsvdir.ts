// The `runsvdir` command (see docs/commands/runsvdir.md).
import '@runit-ts/native/stdio-guard'; // first: before anything can touch process.stderr
import { writeSync } from 'node:fs';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { invokedAs } from '../invoked-as.js';
import { RUNSVDIR_SYNOPSIS, usageText } from '../messages.js';
import { runsvdir } from '../runsvdir.js';

const args = process.argv.slice(2);
if (asksForHelp(args)) {
  writeSync(1, helpText(usageText('runsvdir', RUNSVDIR_SYNOPSIS), 'runsvdir', manFile(import.meta.url, 'runsvdir')));
  process.exit(EXIT_HELP);
}
const code = runsvdir(args, invokedAs('runsvdir'));
if (code !== undefined) process.exitCode = code;
