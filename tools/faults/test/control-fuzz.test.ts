// supervise/control fuzzed: every byte value that is no command, random bytes, and megabytes of them
// in large writes. Nothing but the documented commands may act: the service keeps its pid, state and
// flags and gets no signal; the supervisor lives and its memory stays flat.
import { closeSync, constants, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CONTROL_BYTES, decodeStatus } from '@runit-ts/protocol';
import { Cleanup, sleep, waitFor } from '@runit-ts/test-support';
import { isAlive, rssKiB } from '../src/procfs.js';
import { SectionRecorder } from '../src/results.js';
import { SIZES } from '../src/sizes.js';
import { FLAVOURS, runningPid, startTree, type Flavour } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'fuzz',
  6,
  'Control FIFO fuzzing',
  'Bytes written into a running service\'s `supervise/control`: each of the 242 byte values that is no command ' +
    `(one write each), 10,000 random ones of those, and ${SIZES.fuzzBytes.toLocaleString('en')} of them in 64 KiB writes. ` +
    'A `p` then closes each batch: once the status says paused, every byte before it was read. ' +
    "Each cell: whether anything acted (the service's pid, state, want and flags, and the signals it trapped), " +
    'how long the batch took to be read, and the supervising process\'s resident set before and after.',
);
afterAll(() => section.save());

const COMMANDS = new Set(Object.keys(CONTROL_BYTES).map((c) => c.charCodeAt(0)));
const IGNORED = Array.from({ length: 256 }, (_, b) => b).filter((b) => !COMMANDS.has(b));
const TRAPPED = ['HUP', 'ALRM', 'INT', 'QUIT', 'USR1', 'USR2', 'TERM'];

/** Random bytes among those no command uses. */
function ignoredBytes(count: number): Buffer {
  const random = randomBytes(count);
  return Buffer.from(random.map((b) => IGNORED[b % IGNORED.length]!));
}

interface Batch {
  name: string;
  bytes: Buffer[];
}

const status = (dir: string) => decodeStatus(readFileSync(join(dir, 'supervise', 'status')));

async function fuzz(flavour: Flavour): Promise<{ acted: boolean; alive: boolean; rssGrowth: number; text: string }> {
  const base = cleanup.tempDir('faults-fuzz-');
  const svdir = join(base, 'service');
  const dir = join(svdir, 'fuzzed');
  mkdirSync(dir, { recursive: true });
  const traps = TRAPPED.map((sig) => `trap 'echo ${sig} >> signals' ${sig}`).join('\n');
  writeFileSync(join(dir, 'run'), `#!/bin/sh\n${traps}\ntouch ready\nwhile :; do sleep 0.05 & wait $!; done\n`, { mode: 0o755 });
  const tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  const pid = await waitFor(() => runningPid(dir), 'running', 30_000);
  await waitFor(() => isReady(dir), 'its traps set');
  const supervisor = tree.supervisors()[0]!;
  await sleep(500);
  const rssBefore = rssKiB(supervisor);
  const batches: Batch[] = [
    { name: 'each ignored byte', bytes: IGNORED.map((b) => Buffer.from([b])) },
    { name: '10,000 random ignored bytes', bytes: [ignoredBytes(10_000)] },
    { name: `${SIZES.fuzzBytes} ignored bytes in 64 KiB writes`, bytes: chunks(ignoredBytes(SIZES.fuzzBytes), 65536) },
  ];
  const times: string[] = [];
  for (const batch of batches) {
    const started = performance.now();
    const fd = openSync(join(dir, 'supervise', 'control'), constants.O_WRONLY);
    try {
      for (const bytes of batch.bytes) writeSync(fd, bytes);
      writeSync(fd, 'p');
    } finally {
      closeSync(fd);
    }
    await waitFor(() => status(dir).paused, `${batch.name} read`, 240_000);
    times.push(`${batch.name}: read in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const cont = openSync(join(dir, 'supervise', 'control'), constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(cont, 'c');
    closeSync(cont);
    await waitFor(() => !status(dir).paused, 'continued');
  }
  await sleep(1000);
  const rssAfter = rssKiB(supervisor);
  const now = status(dir);
  let signals = '';
  try {
    signals = readFileSync(join(dir, 'signals'), 'utf8');
  } catch {
    // none trapped
  }
  const acted = now.pid !== pid || now.state !== 'run' || now.want !== 'up' || now.gotTerm || signals !== '';
  const alive = isAlive(supervisor);
  const text =
    `${acted ? 'SOMETHING ACTED' : 'nothing acted'}; ${alive ? 'supervisor alive' : 'supervisor DEAD'}; ${times.join('; ')}; ` +
    `RSS ${(rssBefore / 1024).toFixed(1)} → ${(rssAfter / 1024).toFixed(1)} MiB`;
  return { acted, alive, rssGrowth: rssAfter - rssBefore, text };
}

function isReady(dir: string): boolean {
  try {
    readFileSync(join(dir, 'ready'));
    return true;
  } catch {
    return false;
  }
}

function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('control FIFO fuzzing', () => {
  it('ignored bytes, one by one, random, and megabytes', async () => {
    const outcomes = {} as Record<Flavour, Awaited<ReturnType<typeof fuzz>>>;
    for (const flavour of FLAVOURS) {
      outcomes[flavour] = await fuzz(flavour);
      await cleanup.run();
    }
    section.add({ case: 'bytes that are no command', ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
    for (const flavour of ['host', 'process'] as const) {
      expect(outcomes[flavour].acted).toBe(false);
      expect(outcomes[flavour].alive).toBe(true);
      expect(outcomes[flavour].rssGrowth).toBeLessThan(2048);
    }
  });
});
