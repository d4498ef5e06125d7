// Loads runsvdir's HTTP endpoint from a bundle of its own, only when RUNIT_TS_HTTP turns it on:
// without it runsvdir never reads the HTTP code (its memory: docs/decisions/0006).
import { createRequire } from 'node:module';
import { diagnosticText, type Diagnostic } from '@runit-ts/supervisor';
import { addressText } from './http-address.js';
import type { EndpointOptions, HttpEndpoint, StartHttpEndpoint } from './http/tree.js';
import { runsvdirMessages as M } from './messages.js';
import { firstExisting } from './programs.js';

export const HTTP_BUNDLE = 'runsvdir-http.cjs';

/** Why the endpoint could not be opened: runsvdir prints the line and exits. */
export class EndpointError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnosticText(diagnostic));
  }
}

/** Throws (ENOENT) when the bundle is not beside runsvdir's (or in dist/ when run from the sources). */
function loadHttpEndpoint(): StartHttpEndpoint {
  const path = firstExisting([`./${HTTP_BUNDLE}`, `../dist/${HTTP_BUNDLE}`]);
  if (path === undefined) throw Object.assign(new Error(`${HTTP_BUNDLE} is missing`), { code: 'ENOENT' });
  return (createRequire(import.meta.url)(path) as { startHttpEndpoint: StartHttpEndpoint }).startHttpEndpoint;
}

/** Loads the endpoint and listens; rejects with an EndpointError. */
export async function openHttpEndpoint(options: EndpointOptions): Promise<HttpEndpoint> {
  let start: StartHttpEndpoint;
  try {
    start = loadHttpEndpoint();
  } catch (error) {
    throw new EndpointError(M.httpUnableToLoad(options.svdir, error));
  }
  try {
    return await start(options);
  } catch (error) {
    throw new EndpointError(M.httpUnableToListen(options.svdir, addressText(options.address), error));
  }
}
