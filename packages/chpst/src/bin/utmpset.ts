// utmpset [-w] line: logs a terminal line out of utmp (and wtmp), for getty services' finish scripts.
import { writeSync } from 'node:fs';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { SYNOPSIS, usageText } from '../messages.js';
import { utmpsetMain } from '../utmpset.js';

if (asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(usageText('utmpset', SYNOPSIS.utmpset), 'utmpset', manFile(import.meta.url, 'utmpset')));
  process.exit(EXIT_HELP);
}
process.exitCode = utmpsetMain(process.argv.slice(1));
