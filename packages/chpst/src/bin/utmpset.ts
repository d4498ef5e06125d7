// utmpset [-w] line: logs a terminal line out of utmp (and wtmp), for getty services' finish scripts.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { invokedPath } from '@runit-ts/native';
import { utmpsetMain } from '../utmpset.js';

process.exitCode = utmpsetMain([invokedPath() ?? 'utmpset', ...process.argv.slice(2)]);
