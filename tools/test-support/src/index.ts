// @runit-ts/test-support: shared helpers for the packages' tests.
export * from './reference.js';
export * from './cleanup.js';
export * from './wait.js';
export * from './root.js';
export * from './script.js';
export * from './procfs.js';
export * from './command.js';
export * from './sockets.js';
export * from './mount-points.js';
export * from './unprivileged.js';
export * from './unshared.js';
export * from './process-table.js';
