// runsvdir's HTTP endpoint and readiness (docs/readiness-and-restarts.md): a service whose ./run has
// a notification-fd is up but not ready for /readyz and runit_ts_service_ready until it writes its
// newline, and the supervisor's own restart count is shown.
import { closeSync, constants, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { get, getJson, samples, startWithEndpoint } from './support/http.js';
import { makeService } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('the HTTP endpoint and readiness', () => {
  it('/readyz and runit_ts_service_ready wait for the notification-fd newline', async () => {
    const base = cleanup.tempDir('runsvdir-http-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    makeService(svdir, 'plain');
    const db = makeService(svdir, 'db', { run: `read _ < ${join(base, 'gate')}\necho ready >&3\nexec sleep 600` });
    writeFileSync(join(db, 'notification-fd'), '3\n');
    execFileSync('mkfifo', [join(base, 'gate')]);
    const { port } = await startWithEndpoint(cleanup, svdir, [base]);

    const waiting = await waitFor(async () => {
      const answer = await getJson(port, '/readyz');
      const notReady = (answer.json as { notReady?: Array<{ service: string }> }).notReady ?? [];
      return answer.status === 503 && notReady.length === 1 && notReady[0]!.service === 'db' ? answer.json : undefined;
    }, 'db up, not ready');
    expect(waiting).toEqual({ ready: false, services: 2, notReady: [{ service: 'db', state: 'run', want: 'up', why: 'not ready yet' }] });
    const before = samples((await get(port, '/metrics')).body);
    expect(before.get('runit_ts_service_up{service="db"}')).toBe(1);
    expect(before.get('runit_ts_service_ready{service="db"}')).toBe(0);
    expect(before.get('runit_ts_service_ready{service="plain"}')).toBe(1);

    const gate = await waitFor(() => {
      try {
        return openSync(join(base, 'gate'), constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        return undefined; // ENXIO until ./run has opened it
      }
    }, './run reading the gate');
    writeSync(gate, 'go\n');
    closeSync(gate);
    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200');
    const after = samples((await get(port, '/metrics')).body);
    expect(after.get('runit_ts_service_ready{service="db"}')).toBe(1);
    expect(after.get('runit_ts_service_restarts_total{service="db"}')).toBe(0);
  });
});
