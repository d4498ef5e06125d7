// @runit-ts/init: runit (PID 1) and runit-init.
export {};
