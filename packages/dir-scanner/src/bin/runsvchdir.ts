// runsvchdir: not implemented yet.
import { writeSync } from 'node:fs';

writeSync(2, 'runsvchdir: fatal: not implemented yet\n');
process.exitCode = 111;
