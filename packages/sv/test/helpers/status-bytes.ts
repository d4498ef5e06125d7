// Hand-made supervise/status records for unit tests: a down service wanted up, stamped at
// 1_700_000_000 s, with the given fields changed.
import { decodeStatus, encodeStatus, type DecodedStatus, type SuperviseStatus } from '@runit-ts/protocol';

export const STAMP_SECONDS = 1_700_000_000;

export const statusBytes = (fields: Partial<SuperviseStatus> = {}): Uint8Array =>
  encodeStatus({
    stamp: { seconds: STAMP_SECONDS, nanoseconds: 500 },
    pid: 0,
    paused: false,
    wantUp: true,
    gotTerm: false,
    state: 'down',
    ...fields,
  });

/** The same record as sv reads it, through protocol's one decoder. */
export const decodedStatus = (fields: Partial<SuperviseStatus> = {}): DecodedStatus => decodeStatus(statusBytes(fields));
