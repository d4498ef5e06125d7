// The `runsvchdir` command (see docs/commands/runsvchdir.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { invokedAs } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { RUNSVCHDIR_SYNOPSIS, usageText } from '../messages.js';
import { runsvchdir } from '../runsvchdir.js';

const args = process.argv.slice(2);
if (asksForHelp(args)) {
  writeSync(1, helpText(usageText('runsvchdir', RUNSVCHDIR_SYNOPSIS), 'runsvchdir', manFile(import.meta.url, 'runsvchdir')));
  process.exit(EXIT_HELP);
}
const outcome = runsvchdir(args, invokedAs('runsvchdir'));
if (outcome.stdout) writeSync(1, outcome.stdout);
if (outcome.stderr) writeSync(2, outcome.stderr);
process.exitCode = outcome.code;
