// The entry of runsvdir-http.cjs, the bundle runsvdir loads only when RUNIT_TS_HTTP is set.
export { startHttpEndpoint } from './endpoint.js';
