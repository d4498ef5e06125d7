// runsvdir's copies of the service host's log pipes, one fd per service open for reading and writing:
// while runsvdir holds it, a service never gets EPIPE and its logger never reads end-of-file, even in
// the moment between a host's death and its successor's start, which is given these copies.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';

export class KeptPipes {
  private readonly pipes = new Map<string, { fd: number; ino: number }>();

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
    this.pipes.set(key, { fd: copy, ino });
  }

  drop(key: string): void {
    const kept = this.pipes.get(key);
    if (!kept) return;
    this.pipes.delete(key);
    closeSync(kept.fd);
  }

  /** [service key, fd] of every copy held. */
  *entries(): IterableIterator<[string, number]> {
    for (const [key, { fd }] of this.pipes) yield [key, fd];
  }
}
