// flock(2) exclusive locks, as runit takes them on supervise/lock and svlogd's lock.
import { binding } from './load.js';

/** Takes LOCK_EX, waiting on this thread. */
export function lockExclusive(fd: number): void {
  binding.flock(fd, binding.LOCK_EX);
}

/** Takes LOCK_EX|LOCK_NB: true when taken, false when another holder has it (EWOULDBLOCK). */
export function tryLockExclusive(fd: number): boolean {
  try {
    binding.flock(fd, binding.LOCK_EX | binding.LOCK_NB);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN' || (error as NodeJS.ErrnoException).code === 'EWOULDBLOCK') {
      return false;
    }
    throw error;
  }
}
