// @runit-ts/dir-scanner: runsvdir and runsvchdir: start a supervisor per service directory, switch runlevels.
export { DirScanner, MAX_SERVICES, type ScannerOptions, type ServiceView } from './scanner.js';
export { LaunchError, type HostedService, type ServiceLauncher, type ServiceToLaunch } from './service-launcher.js';
export { RunsvProcesses, type RunsvProcessOptions } from './runsv-processes.js';
export { ServiceHostLauncher, type ServiceHostLauncherOptions } from './service-host-launcher.js';
export { ServiceHost, type ServiceHostOptions } from './service-host.js';
export { createLauncher, hostingMode, type HostingMode, type HostingOptions } from './hosting.js';
export { hostScript, nodeScript, runsvProgram, DAEMON_NODE_FLAGS, type Program } from './programs.js';
export { HostedLog, readHostedLog } from './hosted-log.js';
export { parseHostedLog, HOSTED_LOG_FILE, type HostedLogPlan } from './hosted-log-file.js';
export { ProcTitleLog, TitleWindow, setTitle } from './proctitle-log.js';
export { parseRunsvdirArguments, type RunsvdirArguments } from './arguments.js';
export { runsvdir } from './runsvdir.js';
export { runsvchdir, DEFAULT_RUNSVDIR, type RunsvchdirOutcome } from './runsvchdir.js';
export * from './exit.js';
