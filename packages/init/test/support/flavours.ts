// The two inits every scenario runs with: ours (the built commands) and the real runit 2.1.2 from the
// reference binaries (Debian: stopit and reboot live in /run, crashes count as exits, stages inherit
// SIGCONT ignored).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary, referenceDir } from '@runit-ts/test-support';

export const REPO_BIN = fileURLToPath(new URL('../../../../node_modules/.bin/', import.meta.url));

export interface InitFlavour {
  name: 'ours' | 'reference';
  /** The program the namespace's PID 1 execs. */
  runit: string;
  runitInit: string;
  /** The stopit and reboot files, as seen inside the namespace. */
  stopit: string;
  reboot: string;
  /** runit 2.3.0's rule: a stage killed by a signal is a crash (ours), not a normal exit (2.1.2). */
  crashIsFailure: boolean;
  /** runit 2.1.2's bug: every stage starts with SIGCONT ignored (fixed in 2.3.0 and in ours). */
  stagesIgnoreSigcont: boolean;
  /**
   * Debian's runit-init reports every failure to create stopit/reboot as "file descriptor not open"
   * (EBADF, from a close of the failed fd); upstream's, and ours, give the open's own error.
   */
  createErrorText?: string;
}

export const OURS: InitFlavour = {
  name: 'ours',
  runit: join(REPO_BIN, 'runit'),
  runitInit: join(REPO_BIN, 'runit-init'),
  stopit: '/etc/runit/stopit',
  reboot: '/etc/runit/reboot',
  crashIsFailure: true,
  stagesIgnoreSigcont: false,
};

export function referenceFlavour(): InitFlavour {
  return {
    name: 'reference',
    runit: referenceBinary('runit'),
    runitInit: join(referenceDir(), 'lib/runit/runit-init'),
    stopit: '/run/runit.stopit',
    reboot: '/run/runit.reboot',
    crashIsFailure: false,
    stagesIgnoreSigcont: true,
    createErrorText: 'file descriptor not open',
  };
}

/** Both flavours, for describe.each; the reference is resolved lazily so a missing one fails the test. */
export const FLAVOURS: Array<[string, () => InitFlavour]> = [
  ['ours', () => OURS],
  ['reference runit 2.1.2', referenceFlavour],
];

/**
 * The directory of the runsvdir, runsv and sv that stage 2 and stage 3 use: ours for our init, the
 * real ones for the real runit, so each init boots its own suite. RUNIT_TS_INIT_TEST_SUPERVISION
 * (`ours` or `reference`) forces one suite for both inits, to tell an init difference from a
 * supervision one.
 */
export function supervisionBin(flavour: InitFlavour): string {
  const forced = process.env.RUNIT_TS_INIT_TEST_SUPERVISION;
  const suite = forced === 'ours' || forced === 'reference' ? forced : flavour.name;
  return suite === 'ours' ? REPO_BIN : join(referenceDir(), 'usr/bin');
}
