// @runit-ts/logger: svlogd: rotating log directories; a library for Node programs and the svlogd command.
export {};
