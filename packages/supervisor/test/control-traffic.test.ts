// Control traffic: the bytes a control FIFO's reader holds are bounded (the rest waits in the FIFO, its
// writer blocked, as with runsv), arrive whole and in order; megabytes of bytes that are no command
// act on nothing and the commands after them still act. Uses the reaper, so no child_process here.
import { constants, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { mkfifo } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { ControlInput } from '../src/control-fifo.js';
import { makeService, readStatus } from './fixtures.js';
import { supervise } from './supervise.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** What ControlInput may hold at most (its ring); a FIFO holds 64 KiB more. */
const HELD_AT_MOST = 512;

describe('control traffic', () => {
  it('256 KiB written at once: at most 512 bytes held by the reader at any time, every byte in order', async () => {
    const path = `${cleanup.tempDir()}/control`;
    mkfifo(path, 0o600);
    let wake: (() => void) | undefined;
    const input = new ControlInput(
      openSync(path, constants.O_RDWR | constants.O_NONBLOCK),
      () => wake?.(),
      (error) => {
        throw error;
      },
    );
    cleanup.add(() => input.close());
    const sent = Buffer.alloc(256 * 1024);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7 + (i >> 9)) & 0xff;
    // written from libuv's thread pool: a full FIFO waits there while this event loop reads
    const writer = await open(path, 'w');
    cleanup.add(() => writer.close());
    let written = false;
    const writing = writer.write(sent).then(() => (written = true));
    await waitFor(() => input.size === HELD_AT_MOST || undefined, 'the reader full');
    // the writer cannot be done: the FIFO and the reader together hold less than it wrote
    expect(written).toBe(false);
    const got = Buffer.alloc(sent.length);
    let most = 0;
    for (let at = 0; at < got.length; ) {
      most = Math.max(most, input.size);
      const byte = input.take();
      if (byte === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      got[at++] = byte;
    }
    await writing;
    expect(most).toBeLessThanOrEqual(HELD_AT_MOST);
    expect(got.equals(sent)).toBe(true);
  });

  it('8 MB of bytes that are no command: nothing acts, then p and c act in order', async () => {
    const dir = makeService(cleanup.tempDir(), 'svc', {});
    const { sup } = await supervise(cleanup, dir);
    const pid = await waitFor(() => sup.pids().service || undefined, 'running');
    const junk = Buffer.alloc(64 * 1024, 'z');
    // written from libuv's thread pool: a full FIFO waits there for the supervisor on this event loop
    const control = await open(`${dir}/supervise/control`, 'w');
    cleanup.add(() => control.close());
    for (let i = 0; i < 8 * 16; i++) await control.write(junk);
    await control.write('p');
    await waitFor(() => readStatus(dir).paused, 'every byte read', 60_000);
    expect(readStatus(dir)).toMatchObject({ pid, state: 'run', want: 'up', paused: true });
    await control.write('c');
    await waitFor(() => !readStatus(dir).paused, 'continued');
    expect(readStatus(dir)).toMatchObject({ pid, state: 'run', want: 'up', paused: false });
  });
});
