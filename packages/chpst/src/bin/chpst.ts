// chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit by argv[0]): runs a program
// with a changed process state, replacing itself with it.
import { chpstMain } from '../chpst.js';

process.exitCode = chpstMain(process.argv.slice(1));
