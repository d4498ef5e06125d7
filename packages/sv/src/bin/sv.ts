// sv: the runit control client; under any other name (/etc/init.d/NAME), an LSB init script.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { invokedPath } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { usage } from '../messages.js';
import { programName } from '../options.js';
import { runSv } from '../sv.js';

const args = process.argv.slice(2);
const argv0 = invokedPath();
if (asksForHelp(args)) {
  const { progname, lsb } = programName(argv0);
  writeSync(1, helpText(usage(progname, lsb), 'sv', manFile(import.meta.url, 'sv')));
  process.exit(EXIT_HELP);
}
runSv(argv0, args, process.env).then((code) => process.exit(code));
