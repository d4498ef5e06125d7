// AF_UNIX datagram sockets (the sd_notify bridge): Node's dgram speaks UDP only, and libuv cannot adopt
// such a socket as a stream, so the addon binds it, receives from it, and watches it on libuv's loop.
import { binding } from './load.js';
import { errnoError } from './errno-error.js';

/** One datagram and who sent it (SCM_CREDENTIALS, checked by the kernel). */
export interface Datagram {
  data: Buffer;
  pid: number;
  uid: number;
  gid: number;
}

/**
 * A non-blocking, close-on-exec AF_UNIX datagram socket bound to `path` (a leading `@` names the
 * abstract namespace, as in systemd's NOTIFY_SOCKET), receiving its senders' credentials. Throws
 * fs-style errors (`bind` EADDRINUSE, ENAMETOOLONG, …).
 */
export function bindDatagramSocket(path: string): number {
  return binding.bindDatagram(path);
}

/** The next queued datagram (cut at maxBytes), or undefined when none is queued. */
export function receiveDatagram(fd: number, maxBytes = 4096): Datagram | undefined {
  const got = binding.receiveDatagram(fd, maxBytes);
  if (got === undefined) return undefined;
  const [data, pid, uid, gid] = got;
  return { data, pid, uid, gid };
}

export interface ReadableWatch {
  /** Stops watching; the fd stays open (the caller closes it). Safe to call twice. */
  stop(): void;
}

/**
 * Calls onReadable each time fd becomes readable, from libuv's poll on the event loop (no thread, no
 * timer); with an error, once, when the fd cannot be watched any more. The watch keeps the loop alive
 * until stopped.
 */
export function watchReadable(fd: number, onReadable: (error?: NodeJS.ErrnoException) => void): ReadableWatch {
  let handle: ReturnType<typeof binding.watchReadable> | undefined;
  handle = binding.watchReadable(fd, (status) => {
    if (status >= 0) return onReadable();
    onReadable(errnoError(-status, 'uv_poll'));
  });
  return {
    stop() {
      if (handle === undefined) return;
      binding.unwatch(handle);
      handle = undefined;
    },
  };
}
