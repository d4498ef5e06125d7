// svlogd's exit codes: 0 after end of input or SIGTERM, 111 for usage and every fatal error.

export const EXIT_OK = 0;
export const EXIT_FATAL = 111;
export const EXIT_USAGE = 111;
