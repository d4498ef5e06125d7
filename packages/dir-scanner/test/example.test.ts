// The project's main job (npm start): tools/scripts/start-example.sh over a copy of examples/service,
// its services up and logging, and Ctrl-C taking everything down cleanly.
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, waitFor } from '@runit-ts/test-support';
import { allProcesses, endTestProcesses, procInfo, testProcesses } from './support/procfs.js';
import { sv, waitRunning } from './support/runsvdir-run.js';
import { textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The examples with a log/run (svlogd, handed to the service host); greeter's log is hosted (a hosted-log file). */
const NAMES = ['clock', 'flaky', 'hello-http'];
const HOSTED = 'greeter';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const logOf = (services: string, name: string): string => textOf(join(services, name, 'log', 'main', 'current'));

describe('npm start (tools/scripts/start-example.sh)', () => {
  it('runs the example services with their loggers, and Ctrl-C stops everything, logs drained', async () => {
    const base = cleanup.tempDir('example-');
    const services = join(base, 'service');
    cpSync(join(root, 'examples', 'service'), services, {
      recursive: true,
      filter: (source) => !/\/supervise$|\/main\/(?!config$)[^/]+$/.test(source),
    });
    const port = await freePort();
    writeFileSync(join(services, 'hello-http', 'env', 'PORT'), `${port}\n`);

    const script = spawn('bash', [join(root, 'tools', 'scripts', 'start-example.sh'), services], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, RUNIT_TS_SKIP_BUILD: '1' },
    });
    let stderr = '';
    script.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    script.stdout!.resume();
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      script.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const pid = script.pid!;
    cleanup.add(() => endTestProcesses([pid], [base]));

    for (const name of [...NAMES, HOSTED]) await waitRunning(join(services, name));
    for (const name of NAMES) expect(sv(['status', join(services, name)]).stdout).toMatch(/^run: .*: \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s\n$/);
    expect(sv(['status', join(services, HOSTED)]).stdout).toMatch(/^run: .*: \(pid \d+\) \d+s\n$/);
    const hostedLog = () => textOf(join(services, HOSTED, 'main', 'current'));
    await waitFor(() => hostedLog().includes('greeter: greeting number 1'), 'the greeter logged by the host');
    await waitFor(() => logOf(services, 'hello-http').includes('listening'), 'the server listening');
    expect(await fetchText(`http://127.0.0.1:${port}/`)).toMatch(/^hello from runit-ts \(pid \d+\)\n$/);
    await waitFor(() => logOf(services, 'hello-http').includes('hello-http: GET /'), 'the request logged');
    await waitFor(() => logOf(services, 'clock').includes('clock: the time is'), 'the clock ticking');

    // runit's standard layout costs no logger process: each log/run's svlogd handed its dirs to the
    // service host and stays an unreaped child of it (decision 0008)
    for (const name of NAMES) {
      const logPid = Number(textOf(join(services, name, 'log', 'supervise', 'pid')));
      expect(procInfo(logPid)).toMatchObject({ state: 'Z' });
    }
    const tree = testProcesses([pid], [base]).filter((p) => p !== pid);
    expect(tree.length).toBeGreaterThanOrEqual(6); // runsvdir, its host and fd-holder, 4 services (sh, node, sleep...)
    // what the terminal does on Ctrl-C: SIGINT to the foreground process group (runsvdir, after exec)
    process.kill(-pid, 'SIGINT');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(tree.filter(isAlive)).toEqual([]);
    expect(allProcesses().filter((p) => tree.includes(p.pid))).toEqual([]);
    expect(logOf(services, 'clock')).toMatch(/clock: stopping\n$/);
    expect(logOf(services, 'hello-http')).toMatch(/hello-http: stopping\n$/);
    expect(logOf(services, 'flaky')).toMatch(/flaky: finished \(exit code 0, signal 0\)\n$/);
    expect(hostedLog()).toMatch(/greeter: goodbye\n$/);
    for (const name of [...NAMES, HOSTED]) expect(sv(['status', join(services, name)]).stdout).toContain('runsv not running');
    expect(stderr).toContain(`runsvdir is supervising ${services}`);
  }, 120_000);
});
