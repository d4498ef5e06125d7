// @runit-ts/init: runit (PID 1) and runit-init, as a library.
export { runRunit, type RunitOptions } from './runit.js';
export { runRunitInit, requestHalt, requestReboot, runitBundlePath } from './runit-init.js';
export { runitPaths, etcDir, DEFAULT_ETC, CONSOLE, type RunitPaths } from './paths.js';
export { runitMessages, runitInitMessages, RUNIT_ID } from './messages.js';
export * from './exit.js';
export { isOwnerExecutable, exists } from './files.js';
export { Wakeup, within } from './wakeup.js';
export { DEFAULT_GRACE_MS, parseContainerSettings, type ContainerSettings } from './container-settings.js';
export { EXIT_CODE_FILE, parseExitCode } from './exit-code-file.js';
