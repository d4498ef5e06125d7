// sv: the runit control client; under any other name (/etc/init.d/NAME), an LSB init script.
import { writeSync } from 'node:fs';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { usage } from '../messages.js';
import { programName } from '../options.js';
import { runSv } from '../sv.js';

const args = process.argv.slice(2);
if (asksForHelp(args)) {
  const { progname, lsb } = programName(process.argv[1]);
  writeSync(1, helpText(usage(progname, lsb), 'sv', manFile(import.meta.url, 'sv')));
  process.exit(EXIT_HELP);
}
runSv(process.argv[1], args, process.env).then((code) => process.exit(code));
