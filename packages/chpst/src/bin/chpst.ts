// chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit by argv[0]): runs a program
// with a changed process state, replacing itself with it.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { invokedPath } from '@runit-ts/native';
import { chpstMain } from '../chpst.js';

process.exitCode = chpstMain([invokedPath() ?? 'chpst', ...process.argv.slice(2)]);
