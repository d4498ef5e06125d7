// chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit by argv[0]): runs a program
// with a changed process state, replacing itself with it.
import { writeSync } from 'node:fs';
import { EXIT_HELP, asksForHelp, helpText, manFile } from '@runit-ts/protocol';
import { chpstMain } from '../chpst.js';
import { invocationOf } from '../invocation.js';
import { SYNOPSIS, usageText } from '../messages.js';

if (asksForHelp(process.argv.slice(2))) {
  // A personality's page (envdir.8, ...) only points at chpst.8, which man -l cannot follow.
  const { name, personality } = invocationOf(process.argv[1] ?? 'chpst');
  const usage = usageText(name, SYNOPSIS[personality ?? 'chpst']);
  writeSync(1, helpText(usage, personality ?? 'chpst', manFile(import.meta.url, 'chpst')));
  process.exit(EXIT_HELP);
}
process.exitCode = chpstMain(process.argv.slice(1));
