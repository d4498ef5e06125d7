// The `runit` command: runit as PID 1 (see docs/commands/runit.md).
// First: Node's own warnings must not open the console (fd 2) as a libuv stream.
import '@runit-ts/native/stdio-guard';
import { runRunit } from '../runit.js';

// Settles with 111 outside PID 1, and in container mode with the container's code at its end.
void runRunit().then((code) => process.exit(code));
