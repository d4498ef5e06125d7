// svlogd: log standard input into rotating log dirs (runit's svlogd).
import '@runit-ts/native/stdio-guard'; // first: before anything can touch process.stderr
import { invokedName } from '../arguments.js';
import { runSvlogd } from '../svlogd.js';

runSvlogd(process.argv.slice(2), invokedName(process.argv[1] ?? 'svlogd'));
