// A FIFO that run scripts write `NAME PID` to as their first act: the harness stamps each line with a
// monotonic clock when it arrives, so "the new ./run is running" is seen at once, without polling.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

export interface Ping {
  name: string;
  pid: number;
  /** performance.now() when the line arrived. */
  at: number;
}

/** Parses `NAME PID` lines; a partial last line is returned as the rest, to be completed by the next chunk. */
export function parsePings(text: string): { pings: Array<{ name: string; pid: number }>; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  const pings = lines
    .map((line) => /^(\S+) (\d+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1]!, pid: Number(match[2]) }));
  return { pings, rest };
}

/** The shell line a run script starts with to report itself (the script then execs, keeping its pid). */
export const pingLine = (fifo: string, name: string): string => `echo "${name} $$" > '${fifo}'`;

const RECENT_KEPT = 16 * 1024;

export class PingFifo {
  private readonly socket: Socket;
  private readonly keepOpen: number;
  private readonly received: Ping[] = [];
  private readonly waiters = new Set<() => void>();
  private partial = '';
  private recent = '';

  constructor(readonly path: string) {
    execFileSync('mkfifo', ['-m', '0622', path]);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    // Our own writer: the FIFO never reaches end-of-file between two services' writes.
    this.keepOpen = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.socket = new Socket({ fd: readFd, readable: true, writable: false });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      const at = performance.now();
      this.recent = (this.recent + chunk).slice(-RECENT_KEPT);
      const { pings, rest } = parsePings(this.partial + chunk);
      this.partial = rest;
      for (const ping of pings) this.received.push({ ...ping, at });
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** The first ping from `name` that arrived at or after `since` (performance.now() time). */
  next(name: string, since: number, timeoutMs = 60_000): Promise<Ping> {
    const find = () => this.received.find((p) => p.name === name && p.at >= since);
    return this.until(find, `a ping from ${name}`, timeoutMs);
  }

  /** Every ping since `since`, once `names` have all pinged (each name's first ping). */
  async all(names: readonly string[], since: number, timeoutMs = 120_000): Promise<Map<string, Ping>> {
    const wanted = new Set(names);
    const collect = () => {
      const found = new Map<string, Ping>();
      for (const p of this.received) if (p.at >= since && wanted.has(p.name) && !found.has(p.name)) found.set(p.name, p);
      return found.size === wanted.size ? found : undefined;
    };
    return this.until(collect, `pings from ${names.length} services`, timeoutMs);
  }

  /** The last few KiB written to the FIFO, pings or not (e.g. a console's lines, for error messages). */
  text(): string {
    return this.recent;
  }

  /** Forgets pings received so far (keeps memory flat over long runs). */
  forget(): void {
    this.received.length = 0;
  }

  close(): void {
    this.socket.destroy();
    closeSync(this.keepOpen);
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = probe();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${this.path}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}
