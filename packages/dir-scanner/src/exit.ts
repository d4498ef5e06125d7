// Exit codes of runsvdir and runsvchdir, as runit's programs use them.

export const EXIT_OK = 0;
/** Both commands: the usage message. */
export const EXIT_USAGE = 1;
/** runsvchdir: a system call failed. runsvdir: SIGHUP stopped every service. */
export const EXIT_FATAL = 111;
/** runsvdir: the initial working directory cannot be opened (runit: fatal, 100). */
export const EXIT_RUNSVDIR_FATAL = 100;
