// utmpset [-w] line: logs a terminal line out of utmp (and wtmp), for getty services' finish scripts.
import { utmpsetMain } from '../utmpset.js';

process.exitCode = utmpsetMain(process.argv.slice(1));
