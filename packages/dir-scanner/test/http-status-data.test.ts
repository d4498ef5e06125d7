// What the status page is sent over /events: every service with its logs' last lines (log/*/current,
// a hosted log's dirs), names and lines as data, and never a file a planted link points at.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { firstEvent, get, startWithEndpoint } from './support/http.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface PageService {
  name: string;
  state: string | null;
  pid: number | null;
  want: string | null;
  restarts: number;
  logs: Array<{ dir: string; lines: string[] }>;
}
interface ListEvent {
  svdir: string;
  services: PageService[];
}

/** A log service that appends its input to main/current, as `svlogd main` would (without stamps). */
const CAT_LOGGER = 'mkdir -p main; exec cat >> main/current';

describe('the status page’s data', () => {
  it('lists every service with its state and the last lines of its logs, as sent', async () => {
    const base = cleanup.tempDir('runsvdir-http-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    const odd = '<b>odd & "quoted" \'name\'';
    makeService(svdir, odd);
    const lines = Array.from({ length: 15 }, (_, i) => `line ${i} <script>alert(${i})</script>`);
    makeService(svdir, 'chatty', { run: `${lines.map((l) => `echo '${l}'`).join('; ')}; exec sleep 600`, log: CAT_LOGGER });
    const hosted = makeService(svdir, 'hosted', { run: 'echo hosted hello; exec sleep 600' });
    mkdirSync(join(hosted, 'main'));
    writeFileSync(join(hosted, 'hosted-log'), './main\n');
    // the log dir's owner plants a link to a file only root may read
    const secret = join(base, 'secret');
    writeFileSync(secret, 'the secret\n', { mode: 0o600 });
    const planted = makeService(svdir, 'planted', { log: 'exec sleep 600' });
    mkdirSync(join(planted, 'log', 'main'));
    symlinkSync(secret, join(planted, 'log', 'main', 'current'));
    makeService(svdir, 'resting', { down: true });
    const { port } = await startWithEndpoint(cleanup, svdir, [base]);
    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200');

    const logged = (data: ListEvent, name: string) => data.services.find((s) => s.name === name)?.logs[0]?.lines ?? [];
    const data = await waitFor(async () => {
      const list = await firstEvent<ListEvent>(port, 'list');
      return logged(list, 'chatty').length === 10 && logged(list, 'hosted').length === 1 ? list : undefined;
    }, 'both logs written');
    expect(data.svdir).toBe(svdir);
    expect(data.services.map((s) => s.name)).toEqual(['<b>odd & "quoted" \'name\'', 'chatty', 'hosted', 'planted', 'resting']);
    const byName = new Map(data.services.map((s) => [s.name, s]));
    expect(byName.get(odd)).toMatchObject({ state: 'run', pid: supervisedPid(join(svdir, odd)), want: 'up', restarts: 0, logs: [] });
    expect(byName.get('chatty')!.logs).toEqual([{ dir: 'log/main', lines: lines.slice(-10) }]);
    expect(byName.get('hosted')!.logs).toEqual([{ dir: './main', lines: ['hosted hello'] }]);
    expect(byName.get('planted')!.logs).toEqual([{ dir: 'log/main', lines: [] }]);
    expect(byName.get('resting')).toMatchObject({ state: 'down', pid: null, want: 'down' });
    expect(JSON.stringify(data)).not.toContain('the secret');
  });
});
