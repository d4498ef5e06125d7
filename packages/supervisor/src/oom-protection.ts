// The OOM killer's choice: a supervising process (runsvdir, the service host, runsv) lowers its own
// oom_score_adj so that the kernel kills a service rather than the supervisor of every service, and
// gives its children back the value it was started with (docs/reliability.md#oom-protection).
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * dbus's value under systemd: far below any service, yet not -1000 ("never"), so that a supervisor
 * that leaks can still be chosen as a last resort (and a killed service host is adopted by the next).
 */
export const SUPERVISOR_OOM_SCORE_ADJ = -900;

/** `off`, or a value from -1000 to 1000 for the supervising processes instead of -900. */
export const OOM_SETTING = 'RUNIT_TS_OOM_SCORE_ADJ';

const OWN = '/proc/self/oom_score_adj';

/** The value the environment asks supervisors to take, or undefined when it asks for none (`off`). */
export function supervisorOomScoreAdj(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const setting = env[OOM_SETTING];
  if (setting === 'off') return undefined;
  const value = setting === undefined ? NaN : Number(setting);
  return Number.isInteger(value) && value >= -1000 && value <= 1000 ? value : SUPERVISOR_OOM_SCORE_ADJ;
}

const write = (value: number): boolean => {
  try {
    writeFileSync(OWN, String(value));
    return true;
  } catch {
    return false;
  }
};

/**
 * Lowers this process's adjustment to `target`; without CAP_SYS_RESOURCE (a container's root may
 * lack it) a process may only go down to 0, so a supervisor started above 0 goes back to 0. Returns
 * the value its children must get back (the one it was started with) when it changed, else undefined:
 * the children then inherit it as they would under runit. Nothing here ever fails a start.
 */
export function protectFromOom(target = supervisorOomScoreAdj()): number | undefined {
  if (target === undefined) return undefined;
  let original: number;
  try {
    original = Number(readFileSync(OWN, 'utf8').trim());
  } catch {
    return undefined; // no /proc (an early PID 1): nothing to lower, nothing to give back
  }
  if (!Number.isInteger(original) || original <= target) return undefined;
  if (write(target) || (original > 0 && target < 0 && write(0))) return original;
  return undefined;
}
