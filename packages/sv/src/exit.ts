// sv's exit codes: the failure count in sv mode, LSB init-script codes under another name.

/** A usage error in sv mode, and any fatal error in sv mode. */
export const EXIT_USAGE = 100;
export const EXIT_FATAL = 100;
/** The same two in LSB mode (invoked as /etc/init.d/NAME). */
export const EXIT_LSB_USAGE = 2;
export const EXIT_LSB_FATAL = 151;

/** LSB `status`: the service runs, does not run, or its state is unknown. */
export const LSB_STATUS_RUNNING = 0;
export const LSB_STATUS_NOT_RUNNING = 3;
export const LSB_STATUS_UNKNOWN = 4;

/** Each fail, warning and timeout adds one; the exit code stops at 99. */
export const failureExit = (failures: number): number => Math.min(failures, 99);
