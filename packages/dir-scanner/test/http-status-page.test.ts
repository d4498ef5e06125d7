// The status page in a real browser (Debian's headless Chromium, driven by playwright-core): it shows
// every service, names and log lines as text, and a killed service's restart within 2 s of the kill,
// seen as the page's own DOM changing. Set RUNIT_TS_STATUS_PAGE_SCREENSHOT=docs/status-page.png to
// write the screenshot the docs show.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStatus } from '@runit-ts/protocol';
import { Cleanup, referenceBinary, waitFor } from '@runit-ts/test-support';
import { get, startWithEndpoint } from './support/http.js';
import { makeService, supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

async function browser(profile: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: FLAGS,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    colorScheme: 'light',
  });
  cleanup.add(() => context.close());
  return context;
}

const MARKUP = '<img src=x onerror="document.title=1">';
const ODD = 'zz <i>odd';

function services(svdir: string): void {
  const svlogd = referenceBinary('svlogd');
  const api = makeService(svdir, 'api', {
    run: 'i=0; while :; do i=$((i+1)); echo "GET /orders/$i 200 $((i % 7 + 3))ms"; sleep 1; done',
    log: `exec ${svlogd} -tt main`,
  });
  const worker = makeService(svdir, 'worker', { run: `echo 'worker started'; echo '${MARKUP}'; exec sleep 600`, log: `exec ${svlogd} -tt main` });
  for (const dir of [api, worker]) mkdirSync(join(dir, 'log', 'main')); // svlogd makes no log dir
  const mailer = makeService(svdir, 'mailer', { run: 'echo "mail queue: 0 messages"; exec sleep 600' });
  mkdirSync(join(mailer, 'main'));
  writeFileSync(join(mailer, 'hosted-log'), '-tt ./main\n');
  makeService(svdir, 'backup', { down: true });
  makeService(svdir, ODD);
}

const statusAge = (dir: string): number => Date.now() / 1000 - decodeStatus(readFileSync(join(dir, 'supervise', 'status'))).stamp.seconds;

describe('the status page in Chromium', () => {
  it('shows every service and a killed service restarting within 2 s of the kill', { timeout: 120_000 }, async () => {
    const base = cleanup.tempDir('runsvdir-page-');
    const svdir = join(base, 'service');
    mkdirSync(svdir);
    services(svdir);
    const { port } = await startWithEndpoint(cleanup, svdir, [base]);
    await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200', 30_000);

    const context = await browser(cleanup.tempDir('chromium-profile-'));
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction((count) => document.querySelectorAll('[data-service]').length === count, 5);
    const names = await page.$$eval('[data-service]', (cards) => cards.map((card) => card.getAttribute('data-service')));
    expect(names).toEqual(['api', 'backup', 'mailer', 'worker', ODD]);
    const text = (service: string, field: string) =>
      page.evaluate(([s, f]) => [...document.querySelectorAll('[data-service]')].find((c) => c.getAttribute('data-service') === s)?.querySelector(`[data-field="${f}"]`)?.textContent, [service, field]);
    expect(await text('backup', 'state')).toBe('down');
    expect(await text('backup', 'note')).toBe('normally down');
    await page.waitForFunction(() => document.querySelector('[data-service="mailer"] pre')?.textContent?.includes('mail queue: 0 messages'));
    await page.waitForFunction((markup) => document.querySelector('[data-service="worker"] pre')?.textContent?.includes(markup), MARKUP);
    // names and log lines are text: no element of theirs, no script of theirs ran
    expect(await page.evaluate(() => [document.querySelectorAll('img, i').length, document.title])).toEqual([0, `runit-ts: ${hostname()}`]);
    expect(await page.$eval('[data-service^="zz"] h2', (h2) => h2.textContent)).toBe(ODD);

    // a ./run younger than a second is restarted a second later (runit's rule): let it age
    const worker = join(svdir, 'worker');
    await waitFor(() => statusAge(worker) >= 1.2, 'worker running for over a second');
    const killed = supervisedPid(worker);
    expect(await text('worker', 'pid')).toBe(String(killed));
    await page.evaluate((old) => {
      const card = document.querySelector('[data-service="worker"]')!;
      const field = (name: string) => card.querySelector(`[data-field="${name}"]`)!.textContent;
      (window as unknown as { restarted: Promise<unknown> }).restarted = new Promise((resolve) => {
        const seen = () => {
          if (field('state') !== 'run' || field('pid') === String(old) || field('pid') === '–') return false;
          resolve({ at: Date.now(), pid: Number(field('pid')), restarts: field('restarts') });
          return true;
        };
        new MutationObserver((_records, observer) => {
          if (seen()) observer.disconnect();
        }).observe(card, { subtree: true, childList: true, characterData: true });
      });
    }, killed);
    const killedAt = Date.now();
    process.kill(killed, 'SIGKILL');
    const restarted = (await page.evaluate(() => (window as unknown as { restarted: Promise<unknown> }).restarted)) as { at: number; pid: number; restarts: string };
    expect({ pid: restarted.pid, restarts: restarted.restarts }).toEqual({ pid: supervisedPid(worker), restarts: '1' });
    expect(restarted.at - killedAt).toBeLessThan(2000);
    console.log(`restart seen ${restarted.at - killedAt} ms after the kill`);
    expect(errors).toEqual([]);

    const shot = join(base, 'status-page.png');
    await page.screenshot({ path: shot });
    expect(readFileSync(shot).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const keep = process.env.RUNIT_TS_STATUS_PAGE_SCREENSHOT;
    if (keep) copyFileSync(shot, resolve(process.env.INIT_CWD ?? process.cwd(), keep));
  });
});
