// Talking to runsvdir's HTTP endpoint in tests: start runsvdir with it on a free loopback port (read
// from /proc), plain requests with any method and Host, the status page's first event, promtool.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { Cleanup } from '@runit-ts/test-support';
import { listeningPorts, waitFor } from '@runit-ts/test-support';
import { startRunsvdir, type RunsvdirRun } from './runsvdir-run.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** runsvdir with RUNIT_TS_HTTP on 127.0.0.1, any free port; resolves once it listens. */
export async function startWithEndpoint(
  cleanup: Cleanup,
  svdir: string,
  dirs: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ run: RunsvdirRun; port: number }> {
  const run = startRunsvdir(cleanup, [svdir], { dirs, env: { RUNIT_TS_HTTP: '127.0.0.1:0', ...env } });
  const port = await waitFor(() => {
    if (run.exited()) throw new Error(`runsvdir exited: ${run.stderr()}`);
    return listeningPorts(run.pid)[0];
  }, 'runsvdir listening');
  return { run, port };
}

export function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const getJson = async (port: number, path: string): Promise<{ status: number; json: unknown }> => {
  const answer = await get(port, path);
  return { status: answer.status, json: JSON.parse(answer.body) };
};

/** The data of the first event named `name` on /events, parsed. */
export function firstEvent<T>(port: number, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const complete = text.split('\n\n').slice(0, -1);
        for (const block of complete) {
          const [event, ...data] = block.split('\n');
          if (event !== `event: ${name}`) continue;
          req.destroy();
          resolve(JSON.parse(data.map((line) => line.replace(/^data: /, '')).join('\n')) as T);
          return;
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every sample of a Prometheus text, by `name{labels}` as printed. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    out.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return out;
}

/** `promtool check metrics` on the text: Debian's prometheus package (.ci/run installs it). */
export function promtoolCheck(text: string): { code: number | null; output: string } {
  const promtool = '/usr/bin/promtool';
  if (!existsSync(promtool)) throw new Error(`${promtool} is missing: apt-get install prometheus (.ci/run installs it)`);
  const result = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}
