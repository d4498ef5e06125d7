// The wait loop's test: has each byte sv sent taken effect? (runit 2.3.0's check(),
// docs/runit-behaviour.md §4.5.)
import type { DecodedStatus } from '@runit-ts/protocol';

/**
 * True when every byte's condition holds for this status. `startLabel` is sv's start as a TAI64
 * label (whole seconds); `checkPasses` runs ./check (it may run once per byte that needs it, as in runit).
 * Beyond runit, `ready` says whether ./run has said it is ready, where its supervisor tracks that
 * (docs/readiness-and-restarts.md); up counts only once it is, for `u`, `t`, `k` and `check`.
 */
export function conditionsHold(
  bytes: string,
  status: DecodedStatus,
  startLabel: bigint,
  checkPasses: () => boolean,
  ready: () => boolean = () => true,
): boolean {
  const { pid, state, paused } = status;
  for (const sent of bytes) {
    // `check` (runit 2.3.0) waits for the state the service is wanted in: down, or up (and checked).
    // 2.1.2 and 2.2.0 were done at once without a pid, else when the check script passed.
    const byte = sent === 'C' ? (status.want === 'down' ? 'd' : 'u') : sent;
    switch (byte) {
      case 'x':
        return false; // satisfied only when runsv has gone
      case 'u':
        if (pid === 0 || state !== 'run' || !ready() || !checkPasses()) return false;
        break;
      case 'd':
        if (pid !== 0 || state !== 'down') return false;
        break;
      case 't':
      case 'k':
        if (pid === 0 && status.want === 'down') break;
        if (startLabel > status.label || pid === 0 || status.gotTerm || !ready() || !checkPasses()) return false;
        break;
      case 'o':
        if ((pid === 0 && startLabel > status.label) || (pid !== 0 && status.want !== 'down')) return false;
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
