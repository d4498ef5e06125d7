// Keeps Node from ever opening fds 1 and 2 as libuv streams in a daemon: libuv would make them
// non-blocking, and every service sharing that pipe would see its writes fail with EAGAIN. Import first.
//
// Merely destroying a net.Socket (a FIFO, a pipe to the service host) reads `process.stderr` in
// Node 20's net.js, and that getter is what opens fd 2 as a stream (measured with strace: TCGETS,
// then FIONBIO on fd 2). process.stdout and process.stderr become plain writers on writeSync instead.
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';

function blockingWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        writeSync(fd, chunk);
      } catch {
        // dropped, as runit drops a failed diagnostic write
      }
      done();
    },
  });
}

for (const [name, fd] of [['stdout', 1], ['stderr', 2]] as const) {
  const writer = blockingWriter(fd);
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => writer });
}
