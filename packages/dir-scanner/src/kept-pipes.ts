// runsvdir's copies of the service host's log pipes, one fd per service open for reading and writing:
// while runsvdir holds it, a service never gets EPIPE and its logger never reads end-of-file, even in
// the moment between a host's death and its successor's start, which is given these copies. The
// fd-holder gets a read-only copy of each, for when runsvdir and the host die together: a reader, so
// that the service gets no SIGPIPE, and no writer, so that its logger still reads end-of-file once
// the service and its supervisor have closed the pipe.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import type { FdHolder } from './fd-holder.js';

export class KeptPipes {
  private readonly pipes = new Map<string, { fd: number; ino: number; id: number }>();
  private nextId = 1;

  constructor(private readonly holder?: FdHolder) {}

  /**
   * Takes a copy of the host's fd `fd` (a pipe whose inode is `ino`) for the service `key`, through
   * /proc: opening a pipe there adds a reader and a writer to it. Nothing is kept when the host has
   * closed that fd since, or it is now something else.
   */
  keep(key: string, hostPid: number, fd: number, ino: number): void {
    if (this.pipes.get(key)?.ino === ino) return; // already kept (a successor telling what it took over)
    let copy: number;
    try {
      copy = openSync(`/proc/${hostPid}/fd/${fd}`, constants.O_RDWR | constants.O_NONBLOCK);
    } catch {
      return;
    }
    if (fstatSync(copy).ino !== ino) {
      closeSync(copy);
      return;
    }
    this.drop(key);
    const id = this.nextId++;
    this.pipes.set(key, { fd: copy, ino, id });
    if (this.holder) {
      try {
        this.holder.hold(id, openSync(`/proc/self/fd/${copy}`, constants.O_RDONLY | constants.O_NONBLOCK));
      } catch {
        // out of fds: the copy above still covers the host's death
      }
    }
  }

  drop(key: string): void {
    const kept = this.pipes.get(key);
    if (!kept) return;
    this.pipes.delete(key);
    this.holder?.release(kept.id);
    closeSync(kept.fd);
  }

  /** [service key, fd] of every copy held. */
  *entries(): IterableIterator<[string, number]> {
    for (const [key, { fd }] of this.pipes) yield [key, fd];
  }
}
