// Room in the fd table before a supervisor is set up in a host that holds many (runsvdir's service
// host): a set-up that would leave its neighbours no fd for their status writes waits instead.
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { forKernel } from '@runit-ts/native';

/**
 * What one supervisor opens: the dir's handle, supervise/lock, control and ok (one fd each), and for
 * a log its lock, control and ok and the log pipe's two ends. FDS_LEFT_FREE must stay free after it
 * for the others: a status file being written, ./finish looked at, pidfds of adopted children.
 */
export const FDS_PER_SERVICE = 4;
export const FDS_PER_LOG = 5;
export const FDS_LEFT_FREE = 4;

/** What a supervisor of `dir` opens, and what it must leave its neighbours. */
export const fdsForSupervisor = (dir: string): number =>
  FDS_PER_SERVICE + (existsSync(forKernel(`${dir}/log`)) ? FDS_PER_LOG : 0) + FDS_LEFT_FREE;

const isOutOfFds = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
};

/**
 * Opens and closes `count` fds on /dev/null: undefined when there was room, else the error (EMFILE,
 * ENFILE). Without /dev/null (an early PID 1), there is nothing to learn and no wait.
 */
export function fdRoomFor(count: number): NodeJS.ErrnoException | undefined {
  const opened: number[] = [];
  try {
    for (let i = 0; i < count; i++) opened.push(openSync('/dev/null', constants.O_RDONLY));
    return undefined;
  } catch (error) {
    return isOutOfFds(error) ? (error as NodeJS.ErrnoException) : undefined;
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}
