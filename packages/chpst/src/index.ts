// @runit-ts/chpst: chpst (and envdir, envuidgid, pgrphack, setlock, setuidgid, softlimit) and utmpset.
export { chpstMain } from './chpst.js';
export { parseChpstArgs } from './chpst-options.js';
export { parsePersonalityArgs } from './personalities.js';
export { invocationOf, PERSONALITIES, type Invocation, type Personality } from './invocation.js';
export { runPlan } from './run-plan.js';
export { emptyPlan, type ChpstPlan, type AccountRequest } from './plan.js';
export { readEnvDir, envValue, EnvDirError, type EnvChange, type EnvDirOptions, type EnvDirProblem } from './envdir.js';
export { applyEnvChanges, currentEnvironment } from './environment.js';
export { lookupAccount, lookupUserGroups, parseNumericIds, type Account, type AccountLookup } from './accounts.js';
export { applyLimits, softLimitFor, LIMIT_ORDER, type LimitRequest } from './limits.js';
export { candidatePaths, execProgram, DEFAULT_PATH } from './exec-program.js';
export { inheritedDescriptors, restoreInheritedDescriptors } from './inherited-fds.js';
export { OptionScanner, type OptionStep } from './getopt.js';
export { Exit } from './outcome.js';
export * from './exit.js';
export {
  utmpsetMain,
  utmpLogout,
  wtmpLogout,
  utmpPaths,
  DEFAULT_UTMP,
  DEFAULT_WTMP,
  type UtmpPaths,
} from './utmpset.js';
export {
  UTMP_RECORD_SIZE,
  UTMP_FIELD,
  DEAD_PROCESS,
  lineMatches,
  hasUser,
  markLoggedOut,
  logoutRecord,
} from './utmp-record.js';
