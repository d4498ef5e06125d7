// runsvdir: not implemented yet.
import { writeSync } from 'node:fs';

writeSync(2, 'runsvdir: fatal: not implemented yet\n');
process.exitCode = 111;
