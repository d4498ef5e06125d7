// runit's answer to a fork that failed (EAGAIN at the process limit, ENOMEM): runsv and runit warn,
// sleep 5 seconds and try again (docs/runit-behaviour.md §1, §3.3).

/** How long runsv and runit pause before retrying a fork that failed. */
export const FORK_RETRY_MS = 5000;
