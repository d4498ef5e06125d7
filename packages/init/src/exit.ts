// Exit codes of runit and runit-init, as runit's own programs use them.

/** runit not started as PID 1; runit-init unable to write a control file or to exec runit. */
export const EXIT_FATAL = 111;
/** runit-init's usage message exits 0 (runit's own quirk). */
export const EXIT_USAGE = 0;
export const EXIT_OK = 0;

/** Stage 1 exiting 100 skips stage 2. */
export const STAGE1_SKIP_STAGE2 = 100;
/** Stage 2 exiting 111 has its process group killed and is restarted. */
export const STAGE2_RESTART = 111;

/** Container mode: a process that ended by signal n is reported as 128 + n, as shells do. */
export const SIGNAL_EXIT_BASE = 128;
/** Container mode: the main service ended and nothing recorded its code. */
export const CONTAINER_MAIN_CODE_UNKNOWN = 1;
