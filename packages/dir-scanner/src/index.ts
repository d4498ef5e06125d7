// @runit-ts/dir-scanner: runsvdir and runsvchdir: start a supervisor per service directory, switch runlevels.
export {};
