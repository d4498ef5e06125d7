// runsv DIR: a host process supervising one service directory, as runit's runsv does.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { writeSync } from 'node:fs';
import { invokedAs } from '@runit-ts/native';
import { EXIT_FATAL, EXIT_USAGE } from '../exit.js';
import { SupervisorHost } from '../host.js';
import { usage } from '../messages.js';

async function main(args: string[]): Promise<number> {
  if (args.length !== 1) {
    writeSync(2, usage(invokedAs('runsv')));
    return EXIT_USAGE;
  }
  const host = new SupervisorHost();
  // runsv: SIGTERM is `x` for the service
  process.on('SIGTERM', () => void host.terminateAll());
  try {
    const supervisor = await host.add(args[0]!);
    return (await supervisor.ended).code;
  } catch {
    return EXIT_FATAL; // the fatal line is already printed
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => process.exit(EXIT_FATAL),
);
