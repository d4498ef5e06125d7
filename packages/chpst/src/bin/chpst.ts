// chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit by argv[0]): runs a program
// with a changed process state, replacing itself with it.
import '@runit-ts/native/start-up'; // first: runit's signal dispositions, no inspector (docs/security.md)
import { writeSync } from 'node:fs';
import { invokedPath } from '@runit-ts/native';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { chpstMain } from '../chpst.js';
import { invocationOf } from '../invocation.js';
import { SYNOPSIS, usageText } from '../messages.js';

const argv0 = invokedPath() ?? 'chpst';
if (asksForHelp(process.argv.slice(2))) {
  // A personality's page (envdir.8, ...) only points at chpst.8, which man -l cannot follow.
  const { name, personality } = invocationOf(argv0);
  const usage = usageText(name, SYNOPSIS[personality ?? 'chpst']);
  writeSync(1, helpText(usage, personality ?? 'chpst', manFile(import.meta.url, 'chpst')));
  process.exit(EXIT_HELP);
}
process.exitCode = chpstMain([argv0, ...process.argv.slice(2)]);
