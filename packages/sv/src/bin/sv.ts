// sv: the runit control client; under any other name (/etc/init.d/NAME), an LSB init script.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { invokedPath } from '@runit-ts/native';
import { runSv } from '../sv.js';

process.exit(runSv(invokedPath(), process.argv.slice(2), process.env));
