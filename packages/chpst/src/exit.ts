// Exit codes of chpst (and its personalities) and utmpset, as runit's own programs use them.

/** chpst and every personality: a bad command line. */
export const CHPST_EXIT_USAGE = 100;
/** chpst and utmpset: a system call failed, or an account, lock or program is missing. */
export const EXIT_FATAL = 111;
/** utmpset: a bad command line (runit uses 1 here, not 100). */
export const UTMPSET_EXIT_USAGE = 1;
/** setlock -x: the lock or the program was not there; exit quietly with success. */
export const SETLOCK_QUIET_EXIT = 0;
