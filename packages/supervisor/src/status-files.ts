// supervise/pid, stat and status: each written to <name>.new (0644) and renamed over, in runit's
// order and with its warnings; pid only when it changed. Unlike runit's runsv, a <name>.new is always
// a file created anew, never opened through a symbolic link someone planted (docs/security.md).
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { encodeStatus, formatPid, formatStat, type ServiceState, type Tai64n, type Want } from '@runit-ts/protocol';
import { WARNING, withError } from './messages.js';
import { quietly } from './quietly.js';
import type { ServiceDir } from './service-dir.js';
import type { Prefix } from './supervise-dir.js';

export interface StatusRecord {
  state: ServiceState;
  want: Want;
  paused: boolean;
  gotTerm: boolean;
  pid: number;
  stamp: Tai64n;
}

const CREATE_NEW = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** How often a .new file is removed and created again while something keeps putting one back. */
export const CREATE_ATTEMPTS = 3;

/**
 * Creates `path` as a new file (O_EXCL: a symlink there, even a dangling one, is never followed),
 * removing a stale one first; gives up with EEXIST after CREATE_ATTEMPTS tries.
 */
export function createNew(path: string): number {
  for (let attempt = 1; ; attempt++) {
    try {
      unlinkSync(path);
    } catch {
      // none there (the usual case), or not removable: the open says what is wrong
    }
    try {
      return openSync(path, CREATE_NEW, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= CREATE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Writes the three files for one service. Returns false when pid had to be written and was not
 * (runsv then keeps its "pid changed" flag and tries again at the next write).
 */
export function writeStatusFiles(
  dir: ServiceDir,
  prefix: Prefix,
  record: StatusRecord,
  pidChanged: boolean,
  warn: (text: string) => void,
): boolean {
  const name = (file: string): string => `${prefix}supervise/${file}`;
  // runit checks the write only for status (pid and stat go through an unchecked buffer flush)
  const replace = (file: string, data: Uint8Array, checked = false): 'ok' | 'open' | 'write' | 'rename' => {
    const temp = name(`${file}.new`);
    let fd: number;
    try {
      fd = createNew(dir.at(temp));
    } catch (error) {
      warn(withError(WARNING.openNew(temp), error));
      return 'open';
    }
    let written = 0;
    try {
      if (data.length > 0) written = writeSync(fd, data);
    } catch (error) {
      if (checked) {
        warn(withError(WARNING.writeNew(temp), error));
        closeSync(fd);
        quietly(() => unlinkSync(dir.at(temp)));
        return 'write';
      }
    }
    closeSync(fd);
    if (checked && written < data.length) {
      warn(WARNING.partialWrite(temp));
      return 'write';
    }
    try {
      renameSync(dir.at(temp), dir.at(name(file)));
    } catch (error) {
      warn(withError(WARNING.rename(file, name(file)), error));
      return 'rename';
    }
    return 'ok';
  };

  if (pidChanged && replace('pid', Buffer.from(formatPid(record.pid))) !== 'ok') return false;
  // runit goes on to status when only the rename of stat.new failed
  if (replace('stat', Buffer.from(formatStat(record))) === 'open') return true;
  replace(
    'status',
    encodeStatus({
      stamp: record.stamp,
      pid: record.pid,
      paused: record.paused,
      wantUp: record.want === 'up',
      gotTerm: record.gotTerm,
      state: record.state,
    }),
    true,
  );
  return true;
}
