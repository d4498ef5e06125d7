// @runit-ts/supervisor: runsv: supervises service directories, many in one process; a library and the runsv command.
export {};
