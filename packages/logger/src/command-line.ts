// svlogd's command line without the logger: the parser and the words for its refusals, for programs
// that must not load the addon (runsvdir's HTTP endpoint reads hosted-log files with it).
export { parseSvlogdArguments, type ArgumentProblem, type ParsedArguments, type SvlogdInvocation } from './arguments.js';
export { problemText } from './messages.js';
