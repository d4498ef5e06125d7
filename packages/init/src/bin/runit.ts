// The `runit` command: runit as PID 1 (see docs/commands/runit.md).
import { runRunit } from '../runit.js';

void runRunit().then((code) => {
  process.exitCode = code;
});
