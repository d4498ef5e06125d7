// Resource limits as chpst and softlimit set them: soft limit only, capped at the hard limit.
import { getrlimit, setrlimit, type RlimitName } from '@runit-ts/native';

/** runit's order of application; `-m` sets DATA, STACK, MEMLOCK and AS together. */
export const LIMIT_ORDER: readonly RlimitName[] = [
  'DATA',
  'STACK',
  'MEMLOCK',
  'AS',
  'NOFILE',
  'NPROC',
  'FSIZE',
  'CORE',
  'RSS',
  'CPU',
];

/** A requested soft limit, as a C `long`: negative (softlimit's `=`, or a huge number) means "the hard limit". */
export type LimitRequest = Partial<Record<RlimitName, bigint>>;

/** The soft limit runit would set for a request, given the current hard limit. */
export function softLimitFor(requested: bigint, hard: number): number {
  if (requested < 0n) return hard;
  // Numbers above 2^53 lose precision as doubles; they are capped at the hard limit all the same.
  return Math.min(Number(requested), hard);
}

export type LimitFailure = { step: 'getrlimit' | 'setrlimit'; error: unknown };

/** Applies every requested limit in runit's order; returns the first failure, if any. */
export function applyLimits(request: LimitRequest): LimitFailure | undefined {
  for (const name of LIMIT_ORDER) {
    const requested = request[name];
    if (requested === undefined) continue;
    let hard: number;
    try {
      hard = getrlimit(name).hard;
    } catch (error) {
      return { step: 'getrlimit', error };
    }
    try {
      setrlimit(name, { soft: softLimitFor(requested, hard), hard });
    } catch (error) {
      return { step: 'setrlimit', error };
    }
  }
  return undefined;
}
