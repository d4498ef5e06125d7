// The wait loop's test: has each byte sv sent taken effect? (runit 2.3.0's check(),
// docs/runit-behaviour.md §4.5.)
import { stampTai, statusPid } from './status-record.js';

const WANT_DOWN = 0x64; // 'd'

/**
 * True when every byte's condition holds for these status bytes. `startTai` is sv's start in TAI64
 * seconds; `checkPasses` runs ./check (it may run once per byte that needs it, as in runit).
 */
export function conditionsHold(
  bytes: string,
  status: Uint8Array,
  startTai: bigint,
  checkPasses: () => boolean,
): boolean {
  const pid = statusPid(status);
  const state = status[19];
  const paused = status[16] !== 0;
  for (const sent of bytes) {
    // `check` (runit 2.3.0) waits for the state the service is wanted in: down, or up (and checked).
    // 2.1.2 and 2.2.0 were done at once without a pid, else when the check script passed.
    const byte = sent === 'C' ? (status[17] === WANT_DOWN ? 'd' : 'u') : sent;
    switch (byte) {
      case 'x':
        return false; // satisfied only when runsv has gone
      case 'u':
        if (pid === 0 || state !== 1 || !checkPasses()) return false;
        break;
      case 'd':
        if (pid !== 0 || state !== 0) return false;
        break;
      case 't':
      case 'k':
        if (pid === 0 && status[17] === WANT_DOWN) break;
        if (startTai > stampTai(status) || pid === 0 || status[18] !== 0 || !checkPasses()) return false;
        break;
      case 'o':
        if ((pid === 0 && startTai > stampTai(status)) || (pid !== 0 && status[17] !== WANT_DOWN)) return false;
        break;
      case 'p':
        if (pid !== 0 && !paused) return false;
        break;
      case 'c':
        if (pid !== 0 && paused) return false;
        break;
      default:
        break; // h a i q 1 2: nothing to wait for
    }
  }
  return true;
}
