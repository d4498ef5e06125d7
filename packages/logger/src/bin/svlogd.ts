// svlogd: log standard input into rotating log dirs (runit's svlogd).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { writeSync } from 'node:fs';
import { invokedAs } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { usage } from '../messages.js';
import { runSvlogd } from '../svlogd.js';

const args = process.argv.slice(2);
if (asksForHelp(args)) {
  writeSync(1, helpText(usage('svlogd'), 'svlogd', manFile(import.meta.url, 'svlogd')));
  process.exit(EXIT_HELP);
}
runSvlogd(args, invokedAs('svlogd'));
