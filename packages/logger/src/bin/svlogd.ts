// svlogd: log standard input into rotating log dirs (runit's svlogd).
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import '@runit-ts/native/stdio-guard'; // next: before anything can touch process.stderr
import { invokedAs } from '@runit-ts/native';
import { runSvlogd } from '../svlogd.js';

runSvlogd(process.argv.slice(2), invokedAs('svlogd'));
