// runsv's exit codes, as runit's runsv uses them.

/** `x` (or SIGTERM) finished the exit sequence: service down, log drained and exited. */
export const EXIT_OK = 0;
/** No argument, or more than one. */
export const EXIT_USAGE = 1;
/** A fatal start-up error (lock held, no such dir, supervise/control not a FIFO, …). */
export const EXIT_FATAL = 111;
