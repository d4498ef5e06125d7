// utmpset: not implemented yet.
import { writeSync } from 'node:fs';

writeSync(2, 'utmpset: fatal: not implemented yet\n');
process.exitCode = 111;
