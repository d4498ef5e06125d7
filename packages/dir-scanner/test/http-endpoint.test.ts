// runsvdir's opt-in HTTP endpoint against real services: nothing listens without it, a bad setting or
// a taken port stops runsvdir before any service starts, and /healthz, /readyz and /metrics follow a
// service through its finish and restart under each hosting (the host, our runsv, runit's runsv).
import { closeSync, constants, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatus } from '@runit-ts/protocol';
import { Cleanup, childPids, referenceBinary, waitFor } from '@runit-ts/test-support';
import { ourCommand } from './support/commands.js';
import { get, getJson, promtoolCheck, samples, startWithEndpoint } from './support/http.js';
import { startRunsvdir, waitRunning } from './support/runsvdir-run.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function setUp() {
  const base = cleanup.tempDir('runsvdir-http-');
  const svdir = join(base, 'service');
  mkdirSync(svdir);
  return { base, svdir };
}

/** Sockets among a process's own fds (0-2 are the test's pipes, which child_process makes socket pairs). */
const socketsOf = (pid: number): string[] =>
  readdirSync(`/proc/${pid}/fd`).filter((fd) => Number(fd) > 2).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith('socket:') ? [target] : [];
    } catch {
      return [];
    }
  });

/** runsvdir run to its end with `env`: for settings it refuses. */
function runOnce(svdir: string, env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [ourCommand('runsvdir'), svdir], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });
  return { code: result.status, stderr: result.stderr };
}

describe('runsvdir without RUNIT_TS_HTTP', () => {
  it.each([['unset', {}], ['empty', { RUNIT_TS_HTTP: '' }]])('opens no socket at all (%s)', async (_what, env) => {
    const { base, svdir } = setUp();
    makeService(svdir, 'a');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env });
    await waitRunning(join(svdir, 'a'));
    const host = childPids(run.pid);
    expect(host).toHaveLength(1);
    for (const pid of [run.pid, ...host]) expect(socketsOf(pid), `pid ${pid}`).toEqual([]);
  });
});

describe('a setting runsvdir cannot use', () => {
  it.each(['x', '80a', '70000', 'example.com:80', '1.2.3.4', '::1:80', '[::1]', ':80', '1.2.3.4:', '1.2.3.4:+80', '[::1]:80:80'])(
    'RUNIT_TS_HTTP=%s: fatal, exit 100, nothing started',
    (value) => {
      const { svdir } = setUp();
      makeService(svdir, 'a');
      expect(runOnce(svdir, { RUNIT_TS_HTTP: value })).toEqual({
        code: 100,
        stderr: `runsvdir ${svdir}: fatal: RUNIT_TS_HTTP is not PORT or ADDRESS:PORT (ADDRESS an IP address): ${value}\n`,
      });
      expect(readdirSync(join(svdir, 'a'))).toEqual(['run']);
    },
  );

  it('a port already taken: fatal, exit 100, nothing started', async () => {
    const { svdir } = setUp();
    makeService(svdir, 'a');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;
    expect(runOnce(svdir, { RUNIT_TS_HTTP: String(port) })).toEqual({
      code: 100,
      stderr: `runsvdir ${svdir}: fatal: unable to listen on 127.0.0.1:${port}: address already used\n`,
    });
    expect(readdirSync(join(svdir, 'a'))).toEqual(['run']);
  });
});

const HOSTINGS: Array<[string, () => NodeJS.ProcessEnv]> = [
  ['the service host', () => ({})],
  ['our runsv per service', () => ({ RUNIT_TS_RUNSVDIR_MODE: 'process' })],
  ["runit's runsv per service", () => ({ RUNIT_TS_RUNSV: referenceBinary('runsv') })],
];

/** ./finish waits until the test writes to the FIFO `gate` beside the services directory. */
const GATED_FINISH = '#!/bin/sh\nread line < ../../gate\n';

describe.each(HOSTINGS)('the three routes, with %s', (_hosting, hostingEnv) => {
  it('follow a killed service through ./finish and its restart', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'steady', { run: 'env > env.txt; exec sleep 600' });
    const gated = makeService(svdir, 'gated');
    writeFileSync(join(gated, 'finish'), GATED_FINISH, { mode: 0o755 });
    spawnSync('mkfifo', [join(base, 'gate')]);
    makeService(svdir, 'off', { down: true });
    const { port } = await startWithEndpoint(cleanup, svdir, [base], hostingEnv());

    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200');
    expect(await getJson(port, '/readyz')).toEqual({ status: 200, json: { ready: true, services: 3 } });
    expect(await getJson(port, '/healthz')).toEqual({ status: 200, json: { alive: true, services: 3 } });
    const first = await get(port, '/metrics');
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(promtoolCheck(first.body)).toEqual({ code: 0, output: '' });
    const before = samples(first.body);
    const stamp = (name: string) => decodeStatus(readFileSync(join(svdir, name, 'supervise', 'status'))).stamp.seconds;
    for (const [name, state, want, normal] of [['steady', 1, 1, 1], ['gated', 1, 1, 1], ['off', 0, 0, 0]] as const) {
      const labels = `{service="${name}",supervisor="runit"}`;
      expect(before.get(`node_service_state${labels}`), name).toBe(state);
      expect(before.get(`node_service_desired_state${labels}`), name).toBe(want);
      expect(before.get(`node_service_normal_state${labels}`), name).toBe(normal);
      expect(before.get(`node_service_state_last_change_timestamp_seconds${labels}`), name).toBe(stamp(name));
      expect(before.get(`runit_ts_service_up{service="${name}"}`), name).toBe(state);
      expect(before.get(`runit_ts_service_restarts_total{service="${name}"}`), name).toBe(0);
    }
    expect(before.get('runit_ts_process_private_memory_bytes{process="runsvdir"}')).toBeGreaterThan(0);
    // the setting is runsvdir's own: a runsvdir among the services must not take the same port
    expect(readFileSync(join(svdir, 'steady', 'env.txt'), 'utf8')).not.toContain('RUNIT_TS_HTTP');

    const killed = supervisedPid(gated);
    process.kill(killed, 'SIGKILL');
    const finishing = await waitFor(async () => {
      const answer = await getJson(port, '/readyz');
      return answer.status === 503 ? answer.json : undefined;
    }, '/readyz 503');
    expect(finishing).toEqual({ ready: false, services: 3, notReady: [{ service: 'gated', state: 'finish', want: 'up', why: 'finishing' }] });
    const during = samples((await get(port, '/metrics')).body);
    expect(during.get('node_service_state{service="gated",supervisor="runit"}')).toBe(2);
    expect(during.get('runit_ts_service_up{service="gated"}')).toBe(0);
    expect(during.get('runit_ts_service_ready{service="gated"}')).toBe(0);

    // let ./finish end: the supervisor starts ./run again
    const gate = await waitFor(() => {
      try {
        return openSync(join(base, 'gate'), constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        return undefined; // ENXIO until ./finish has opened it
      }
    }, './finish reading the gate');
    writeSync(gate, 'go\n');
    closeSync(gate);
    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200 again');
    const after = samples((await get(port, '/metrics')).body);
    expect(after.get('node_service_state{service="gated",supervisor="runit"}')).toBe(1);
    expect(after.get('runit_ts_service_restarts_total{service="gated"}')).toBe(1);
    expect(after.get('runit_ts_service_restarts_total{service="steady"}')).toBe(0);
    expect(supervisedPid(gated)).not.toBe(killed);
  });
});

describe('what the endpoint answers, and to whom', () => {
  it('only GET and HEAD, only its routes, and only requests naming a loopback host', async () => {
    const { base, svdir } = setUp();
    makeService(svdir, 'a');
    const { port } = await startWithEndpoint(cleanup, svdir, [base]);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await get(port, '/readyz', { method });
      expect([method, answer.status, answer.headers.allow]).toEqual([method, 405, 'GET, HEAD']);
    }
    expect((await get(port, '/nowhere')).status).toBe(404);
    expect((await get(port, '/metrics', { method: 'HEAD' })).body).toBe('');
    expect((await get(port, '/events', { method: 'HEAD' })).status).toBe(200);
    for (const host of ['evil.example', 'evil.example:80', '10.0.0.1', 'localhost.evil.example']) {
      expect([host, (await get(port, '/readyz', { headers: { Host: host } })).status]).toEqual([host, 403]);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, '127.1.2.3', `[::1]:${port}`]) {
      expect([host, (await get(port, '/healthz', { headers: { Host: host } })).status]).toEqual([host, 200]);
    }
    const page = await get(port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
  });
});
