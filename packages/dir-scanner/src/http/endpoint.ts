// runsvdir's HTTP endpoint (opt-in, RUNIT_TS_HTTP): /healthz, /readyz, /metrics, the status page at /
// and its /events. Read-only: nothing here writes to a service or its supervisor.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runsvdirMessages as M } from '../messages.js';
import { allowedHost } from './host-check.js';
import { createMetrics } from './metrics.js';
import { liveness, readiness, type ProbeAnswer } from './probes.js';
import { ServiceStates } from './service-states.js';
import { StatusEvents } from './status-events.js';
import { STATUS_PAGE, STATUS_PAGE_POLICY } from './status-page.js';
import type { EndpointOptions, HttpEndpoint } from './tree.js';

/** Connections at once: probes, scrapes and a few pages need far fewer. */
const MAX_CONNECTIONS = 64;
const COMMON_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function answer(response: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

const json = (response: ServerResponse, { status, body }: ProbeAnswer): void =>
  answer(response, status, 'application/json', `${JSON.stringify(body)}\n`);

export function startHttpEndpoint(options: EndpointOptions): Promise<HttpEndpoint> {
  const { address, tree, svdir, report } = options;
  const events = new StatusEvents(svdir);
  const states = new ServiceStates(tree, events);
  events.attach(states);
  const metrics = createMetrics(tree);

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void | Promise<void>> = {
    '/': (_request, response) =>
      answer(response, 200, 'text/html; charset=utf-8', STATUS_PAGE, {
        'Content-Security-Policy': STATUS_PAGE_POLICY,
        'Referrer-Policy': 'no-referrer',
      }),
    '/events': (request, response) =>
      request.method === 'HEAD' ? answer(response, 200, 'text/event-stream; charset=utf-8', '') : events.open(request, response),
    '/healthz': (_request, response) => json(response, liveness(tree)),
    '/readyz': (_request, response) => {
      states.sync();
      states.refreshAll();
      json(response, readiness(tree, states.records()));
    },
    '/metrics': async (_request, response) => {
      states.sync();
      states.refreshAll();
      answer(response, 200, metrics.contentType, await metrics.text(states.records()));
    },
  };

  const server: Server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const route = routes[path];
    if (!allowedHost(address, request.headers.host)) {
      answer(response, 403, 'text/plain; charset=utf-8', 'this endpoint answers only requests for a loopback address\n');
    } else if (!route) {
      answer(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      answer(response, 405, 'text/plain; charset=utf-8', 'read-only: GET or HEAD\n', { Allow: 'GET, HEAD' });
    } else {
      Promise.resolve(route(request, response)).catch((error: unknown) => {
        report(M.internal(svdir, `HTTP ${path}: ${String(error)}`));
        if (!response.headersSent) answer(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else response.destroy();
      });
    }
  });
  server.maxConnections = MAX_CONNECTIONS;

  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      states.close();
      reject(error);
    });
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.on('error', (error) => report(M.internal(svdir, `HTTP: ${String(error)}`)));
      resolve({
        port: (server.address() as AddressInfo).port,
        servicesChanged: () => states.sync(),
        close: () =>
          new Promise((done) => {
            events.close();
            states.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
