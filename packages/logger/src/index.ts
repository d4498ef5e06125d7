// @runit-ts/logger: svlogd: rotating log directories; a library for Node programs and the svlogd command.
export { LogDirWriter } from './log-dir.js';
export { Logger } from './logger.js';
export type { LogOwner, LoggerOptions } from './options.js';
export type { TimestampFormat } from './stamp.js';
export type { Report, StderrCopy } from './diagnostics.js';
export { parseSvlogdArguments, type ArgumentProblem, type ParsedArguments, type SvlogdInvocation } from './arguments.js';
export { problemText } from './messages.js';
export { DEFAULT_LINE_MAX } from './options.js';
export { StdinReader, type InputHandlers } from './stdin-reader.js';
export {
  decodeMessage,
  FIXED_FDS,
  formatOffer,
  HAND_OFF_VARIABLE,
  HOSTED_LINE_MAX,
  type HandOffMessage,
  type HandOffOffer,
} from './hand-off.js';
export { HostedSvlogd } from './hosted-svlogd.js';
export { offerHandOff, OFFER_FD, type LogRunOffer } from './hand-off-host.js';
