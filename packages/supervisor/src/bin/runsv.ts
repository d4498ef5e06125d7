// runsv DIR: a host process supervising one service directory, as runit's runsv does.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { writeSync } from 'node:fs';
import { invokedAs } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { EXIT_FATAL, EXIT_USAGE } from '../exit.js';
import { takeOrphansParent } from '../adoption.js';
import { protectFromOom } from '../oom-protection.js';
import { SupervisorHost } from '../supervisor-host.js';
import { usage } from '../messages.js';

async function main(args: string[]): Promise<number> {
  if (args.length !== 1) {
    writeSync(2, usage(invokedAs('runsv')));
    return EXIT_USAGE;
  }
  // lowered before anything is started; its children get back the value runsv was started with
  const host = new SupervisorHost({ childOomScoreAdj: protectFromOom(), orphansParent: takeOrphansParent() });
  // runsv: SIGTERM is `x` for the service
  process.on('SIGTERM', () => void host.terminateAll());
  // a start that fails is printed as runsv prints it, and ends with 111
  return (await host.add(args[0]!).ended).code;
}

if (asksForHelp(process.argv.slice(2))) {
  writeSync(1, helpText(usage('runsv'), 'runsv', manFile(import.meta.url, 'runsv')));
  process.exit(EXIT_HELP);
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => process.exit(EXIT_FATAL),
);
