// utmpset [-w] line: logs a terminal line out of utmp (and wtmp), for getty services' finish scripts.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { invokedPath } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { SYNOPSIS, usageText } from '../messages.js';
import { utmpsetMain } from '../utmpset.js';

if (asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(usageText('utmpset', SYNOPSIS.utmpset), 'utmpset', manFile(import.meta.url, 'utmpset')));
  process.exit(EXIT_HELP);
}
process.exitCode = utmpsetMain([invokedPath() ?? 'utmpset', ...process.argv.slice(2)]);
