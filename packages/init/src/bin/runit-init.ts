// runit-init: not implemented yet.
import { writeSync } from 'node:fs';

writeSync(2, 'runit-init: fatal: not implemented yet\n');
process.exitCode = 111;
