// Passing fds to another process over a socketpair (SCM_RIGHTS), with the sender told by the kernel.
import { binding } from './load.js';

export interface ReceivedMessage {
  data: Buffer;
  /** The fds the message carried: close-on-exec, and the receiver's to close. */
  fds: number[];
  /** The sending process, as the kernel saw it (SCM_CREDENTIALS). */
  sender: { pid: number; uid: number; gid: number };
}

/**
 * socketpair(AF_UNIX, SOCK_SEQPACKET), both ends close-on-exec: [receiving end, sending end]. Every
 * message read on the receiving end says which process sent it.
 */
export const socketPair = (): [number, number] => binding.socketPair();

/**
 * Sends one message (1 byte to 256 KiB) carrying `fds` (at most 64), without blocking, and only when
 * the socket's peer is the process `peerPid` made the pair in; throws otherwise (EPERM), or with
 * sendmsg's error.
 */
export function sendFds(fd: number, data: Buffer, fds: number[], peerPid: number): void {
  binding.sendFds(fd, data, fds, peerPid);
}

/** The next message on `fd`: undefined when none is waiting, null at end of file. */
export function receiveFds(fd: number): ReceivedMessage | null | undefined {
  const raw = binding.receiveFds(fd);
  if (!raw) return raw;
  return { data: raw.data, fds: raw.fds, sender: { pid: raw.pid, uid: raw.uid, gid: raw.gid } };
}
