// Gives back to the program the descriptors chpst inherited. Node's start-up (libuv's
// uv_disable_stdio_inheritance) marks every inherited descriptor close-on-exec; runit's chpst passes
// them on, so a socket or file handed to fd 3+ must survive the exec.
import { readdirSync, readlinkSync } from 'node:fs';
import { setCloseOnExec } from '@runit-ts/native';

/** Kinds of descriptor Node makes for itself at start-up (event loops, wake-ups, io_uring). */
const NODE_OWN_KINDS = new Set([
  'anon_inode:[eventpoll]',
  'anon_inode:[eventfd]',
  'anon_inode:[io_uring]',
  'anon_inode:[timerfd]',
  'anon_inode:[signalfd]',
  'anon_inode:inotify',
]);

const FD_DIR = '/proc/self/fd';

/**
 * The descriptors above 2 that Node did not open itself. Node's own are event-loop kinds and its
 * self-pipes, whose two ends are both open here. Empty when /proc is not mounted.
 */
export function inheritedDescriptors(): number[] {
  let names: string[];
  try {
    names = readdirSync(FD_DIR);
  } catch {
    return [];
  }
  const targets = new Map<number, string>();
  for (const name of names) {
    const fd = Number(name);
    if (fd < 3) continue;
    try {
      targets.set(fd, readlinkSync(`${FD_DIR}/${name}`));
    } catch {
      // the descriptor readdir itself used, already closed
    }
  }
  const pipeEnds = new Map<string, number>();
  for (const target of targets.values()) if (target.startsWith('pipe:')) pipeEnds.set(target, (pipeEnds.get(target) ?? 0) + 1);
  const inherited: number[] = [];
  for (const [fd, target] of targets) {
    if (NODE_OWN_KINDS.has(target)) continue;
    if (target.startsWith('pipe:') && pipeEnds.get(target)! > 1) continue;
    inherited.push(fd);
  }
  return inherited.sort((a, b) => a - b);
}

/** Clears close-on-exec on every inherited descriptor; returns them. */
export function restoreInheritedDescriptors(): number[] {
  const inherited = inheritedDescriptors();
  for (const fd of inherited) {
    try {
      setCloseOnExec(fd, false);
    } catch {
      // closed meanwhile: nothing to pass on
    }
  }
  return inherited;
}
