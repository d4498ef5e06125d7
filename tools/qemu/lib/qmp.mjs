// Listens on a unix socket that qemu connects to as a QMP client (-qmp unix:PATH), and records
// qemu's events: SHUTDOWN carries the reason (guest-shutdown for a power-off, guest-reset for a
// reboot or a panic's reset), which is what tells the two apart from the host.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts listening; give qemu `-qmp unix:${monitor.path}`, then read monitor.events. */
export async function listenForQmp() {
  const dir = mkdtempSync(join(tmpdir(), 'runit-ts-qmp-'));
  const path = join(dir, 'qmp.sock');
  const events = [];
  let connected = false;
  let markDisconnected;
  const disconnected = new Promise((resolve) => (markDisconnected = resolve));
  const server = createServer((socket) => {
    connected = true;
    socket.on('close', markDisconnected);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line === '') continue;
        const message = JSON.parse(line);
        // Events flow only after the capabilities handshake that answers qemu's greeting.
        if (message.QMP) socket.write('{"execute":"qmp_capabilities"}\n');
        if (message.event) events.push(message);
      }
    });
    socket.on('error', () => {
      // qemu went away; what it sent before is kept
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    path,
    events,
    /** Resolves once qemu's connection is gone (every event it sent has been read), or at once if it never came. */
    whenDisconnected() {
      return connected ? disconnected : Promise.resolve();
    },
    /** The reason of qemu's SHUTDOWN event, if it sent one. */
    shutdownReason() {
      return events.find((e) => e.event === 'SHUTDOWN')?.data?.reason;
    },
    close() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
