// The `runit` command: runit as PID 1 (see docs/commands/runit.md).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
// Next: Node's own warnings must not open the console (fd 2) as a libuv stream.
import '@runit-ts/native/stdio-guard';
import { runRunit } from '../runit.js';

void runRunit().then((code) => {
  process.exitCode = code;
});
