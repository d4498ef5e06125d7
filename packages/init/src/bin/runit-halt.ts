// runit's internal halt helper, started by runit (PID 1) after stage 3 and its KILL to all: asks the
// kernel to reboot, power off or halt. Not a command: it refuses to run unless its parent is PID 1.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
// Next: Node's own warnings must not open the console (fd 2) as a libuv stream.
import '@runit-ts/native/stdio-guard';
import { writeSync } from 'node:fs';
import { EXIT_FATAL } from '../exit.js';
import { haltSystem } from '../halt.js';
import { haltHelperMessages } from '../messages.js';
import { runitPaths } from '../paths.js';

if (process.ppid !== 1) {
  writeSync(2, haltHelperMessages.notFromRunit);
  process.exitCode = EXIT_FATAL;
} else {
  void haltSystem(runitPaths());
}
