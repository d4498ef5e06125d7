// @runit-ts/protocol: runit's formats as pure codecs, no I/O.
export * from './tai64n.js';
export * from './status.js';
export * from './stat.js';
export * from './control.js';
export * from './errstr.js';
export * from './fork-retry.js';
export * from './svlogd-config.js';
export * from './svlogd-pattern.js';
export * from './help.js';
export * from './extra-status.js';
