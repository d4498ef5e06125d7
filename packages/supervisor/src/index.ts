// @runit-ts/supervisor: runsv as a library (ServiceSupervisor, one per service dir, many per process,
// in a SupervisorHost) and the runsv command.
export { finishArguments } from './child-start.js';
export {
  ServiceSupervisor,
  type ServiceStatus,
  type SupervisorEnd,
  type SupervisorEvents,
  type SupervisorOptions,
  type SupervisorStatus,
} from './supervisor.js';
export { SupervisorHost, type AddOptions, type HostEvents, type HostOptions } from './supervisor-host.js';
export { SupervisorError } from './errors.js';
export {
  createDiagnostics,
  diagnosticLine,
  diagnosticText,
  logFormatFromEnv,
  type Diagnostic,
  type DiagnosticLevel,
  type DiagnosticProgram,
  type DiagnosticSink,
  type LogFormat,
} from './diagnostics.js';
export { transitions, type ControlEvent, type Event as ServiceEvent } from './service-machine.js';
export type { Which } from './service-record.js';
export { ServiceDir } from './service-dir.js';
export { foreignChildren, type ForeignChildren } from './foreign-children.js';
export { ORPHANS_PARENT, reopenPipe, takeOrphansParent } from './adoption.js';
export { FDS_LEFT_FREE, FDS_PER_LOG, FDS_PER_SERVICE, fdRoomFor, fdsForSupervisor } from './fd-headroom.js';
export { childFileLimit, FILE_LIMIT_SETTING, fileLimitEntry, takeFileLimit } from './file-limit.js';
export { protectFromOom, supervisorOomScoreAdj, SUPERVISOR_OOM_SCORE_ADJ, OOM_SETTING } from './oom-protection.js';
export { EXIT_FATAL, EXIT_OK, EXIT_USAGE } from './exit.js';
export type { HostedLogPort, LogHandOff, LogRunOfferPort, ServiceOutput } from './supervisor-types.js';
