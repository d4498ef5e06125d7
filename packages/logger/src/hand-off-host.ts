// The service host's offer to log/run (docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md):
// a socket pair, the end log/run inherits as fd 3 and the variable naming it; once log/run's process
// has exited 0, the svlogd it handed off to the host, if it did.
import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { receiveFds, socketPair } from '@runit-ts/native';
import { formatOffer, HAND_OFF_VARIABLE } from './hand-off.js';
import { HostedSvlogd } from './hosted-svlogd.js';

/** The fd log/run gets the socket as (after its stdin, stdout and stderr). */
export const OFFER_FD = 3;

export interface LogRunOffer {
  /** The socket end to give log/run as fd OFFER_FD (close it here once log/run is started). */
  readonly childFd: number;
  /** The `NAME=VALUE` entry for log/run's environment. */
  readonly environment: string;
  /**
   * Once log/run's process `pid` has exited 0 and is still unreaped: the svlogd it handed off to
   * this process, or undefined when it did not (or anything about it is amiss: nothing is taken).
   */
  take(pid: number): HostedSvlogd | undefined;
  /** log/run has started: this process's copy of childFd is closed (the message waits in the other end). */
  childStarted(): void;
  /** Closes what is left of the offer (both socket ends). */
  close(): void;
}

/** One read buffer for every hosted svlogd: reads run one at a time and are done with it when the write returns. */
const SHARED_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** An offer for a log/run about to start with the pipe `pipeReadFd` as its stdin. */
export function offerHandOff(pipeReadFd: number): LogRunOffer {
  const [receiving, sending] = socketPair();
  const pipeInode = fstatSync(pipeReadFd).ino;
  const ends = new Set([receiving, sending]);
  const close = (): void => {
    for (const fd of ends) closeQuietly(fd);
    ends.clear();
  };
  return {
    childFd: sending,
    childStarted() {
      if (ends.delete(sending)) closeQuietly(sending);
    },
    environment: `${HAND_OFF_VARIABLE}=${formatOffer({ fd: OFFER_FD, hostPid: process.pid, pipeInode })}`,
    take(pid) {
      if (!ends.has(receiving)) return undefined;
      let message;
      try {
        message = receiveFds(receiving);
      } catch {
        return undefined;
      }
      if (!message) return undefined;
      if (message.sender.pid !== pid) {
        for (const fd of message.fds) closeQuietly(fd);
        return undefined;
      }
      try {
        return new HostedSvlogd(message, groupsOf(pid, message.sender.gid), SHARED_BUFFER);
      } catch {
        return undefined; // HostedSvlogd closed the fds
      }
    },
    close,
  };
}

/**
 * The supplementary groups of an exited, unreaped process, from the kernel (a zombie keeps its
 * credentials until reaped); its gid alone when they cannot be read.
 */
function groupsOf(pid: number, gid: number): number[] {
  try {
    const line = /^Groups:(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? '';
    const groups = line.trim().split(/\s+/).filter(Boolean).map(Number);
    return groups.length > 0 ? groups : [gid];
  } catch {
    return [gid];
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
