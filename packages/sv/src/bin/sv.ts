// sv: the runit control client; under any other name (/etc/init.d/NAME), an LSB init script.
import { runSv } from '../sv.js';

process.exit(runSv(process.argv[1], process.argv.slice(2), process.env));
