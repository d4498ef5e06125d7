// GET /events: the status page's server-sent events. `list` carries every service (on connecting and
// when services come or go), `service` one service whose state changed or whose log was written.
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageService } from './page-data.js';
import type { ServiceRecord, ServiceStates, StateListener } from './service-states.js';

/** Pages open at once; more get 503 (each holds a connection and costs a read of every log). */
export const MAX_PAGES = 16;
/** A busy log pushes its service at most this often. */
const LOG_PUSH_MS = 500;
/** A comment this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 25_000;
/** A page that reads slower than this much unsent data is dropped (it reconnects by itself). */
const MAX_BACKLOG = 1 << 20;

export class StatusEvents implements StateListener {
  private readonly pages = new Set<ServerResponse>();
  private readonly logPushes = new Map<string, NodeJS.Timeout>();
  private keepAlive: NodeJS.Timeout | undefined;
  private states: ServiceStates | undefined;

  constructor(private readonly svdir: string) {}

  /** The states whose changes this pushes (they are made with this as their listener). */
  attach(states: ServiceStates): void {
    this.states = states;
  }

  open(request: IncomingMessage, response: ServerResponse): void {
    if (this.pages.size >= MAX_PAGES) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('too many status pages open\n');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    response.write('retry: 2000\n\n');
    this.pages.add(response);
    request.socket.setNoDelay(true);
    response.on('close', () => this.closed(response));
    if (this.pages.size === 1) {
      this.states?.watchLogs(true);
      this.keepAlive = setInterval(() => this.send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      this.keepAlive.unref();
    }
    this.send(this.listEvent(), response);
  }

  serviceChanged(record: ServiceRecord): void {
    if (this.pages.size === 0) return;
    this.send(`event: service\ndata: ${JSON.stringify({ now: Date.now() / 1000, service: pageService(record) })}\n\n`);
  }

  listChanged(): void {
    if (this.pages.size > 0) this.send(this.listEvent());
  }

  logWritten(record: ServiceRecord): void {
    if (this.logPushes.has(record.key)) return;
    const timer = setTimeout(() => {
      this.logPushes.delete(record.key);
      this.serviceChanged(record);
    }, LOG_PUSH_MS);
    timer.unref();
    this.logPushes.set(record.key, timer);
  }

  close(): void {
    for (const page of this.pages) page.destroy();
  }

  private listEvent(): string {
    const services = (this.states?.records() ?? []).map(pageService);
    return `event: list\ndata: ${JSON.stringify({ now: Date.now() / 1000, svdir: this.svdir, host: hostname(), services })}\n\n`;
  }

  private send(text: string, only?: ServerResponse): void {
    for (const page of only ? [only] : this.pages) {
      if (page.writableLength > MAX_BACKLOG) page.destroy();
      else page.write(text);
    }
  }

  private closed(page: ServerResponse): void {
    if (!this.pages.delete(page) || this.pages.size > 0) return;
    clearInterval(this.keepAlive);
    this.states?.watchLogs(false);
    for (const timer of this.logPushes.values()) clearTimeout(timer);
    this.logPushes.clear();
  }
}
