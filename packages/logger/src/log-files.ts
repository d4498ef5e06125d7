// The old files of a log dir (`@` + 24 hex + `.` + type, 27 bytes): naming, pruning, freeing space.
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { forKernel } from '@runit-ts/native';
import { formatTai64n, tai64nFromMillis } from '@runit-ts/protocol';
import { wallClockMicros } from './clock.js';
import type { Report } from './diagnostics.js';
import * as msg from './messages.js';

export const OLD_NAME_LENGTH = 27;

/** Old files are named `@` + 24 hex + `.` + one letter: s (done), u (unprocessed), t (processor output). */
export const isOldFile = (name: string): boolean => name.length === OLD_NAME_LENGTH && name.charCodeAt(0) === 0x40;

/** `@<tai64n now>.<type>`, taken again until no such file exists. Throws when the dir cannot be checked. */
export function pickOldName(path: string, type: 's' | 'u'): string {
  for (;;) {
    const name = `${formatTai64n(tai64nFromMillis(wallClockMicros() / 1000))}.${type}`;
    try {
      lstatSync(forKernel(join(path, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return name;
      throw error;
    }
  }
}

/** The old files by name, oldest first (TAI64N names sort by time). */
function oldFiles(path: string): string[] {
  return readdirSync(forKernel(path)).filter(isOldFile).sort();
}

export interface PruneOptions {
  path: string;
  dir: string;
  maxFiles: number;
  verbose: boolean;
  report: Report;
  /** Names a running processor still uses; they are neither counted as leftovers nor deleted. */
  inUse: readonly string[];
}

/**
 * After a rotation: delete processor leftovers (`.t`), then, if more than maxFiles old files remain
 * (maxFiles 0 = keep all), delete the single oldest one, as runit does once per rotation.
 */
export function prune(options: PruneOptions): void {
  const { path, dir, maxFiles, report, inUse } = options;
  let names: string[];
  try {
    names = oldFiles(path);
  } catch (error) {
    report(msg.warn(msg.READ_DIR, dir, error));
    return;
  }
  for (const name of names) {
    if (!name.endsWith('t') || inUse.includes(name)) continue;
    try {
      unlinkSync(forKernel(join(path, name)));
    } catch (error) {
      report(msg.warn(msg.UNLINK_LEFTOVER, name, error));
    }
  }
  const finished = names.filter((name) => !name.endsWith('t'));
  const oldest = finished.find((name) => !inUse.includes(name));
  if (maxFiles === 0 || finished.length <= maxFiles || oldest === undefined) return;
  if (options.verbose) report(msg.infoDelete(dir, oldest));
  try {
    unlinkSync(forKernel(join(path, oldest)));
  } catch (error) {
    report(msg.warn(msg.UNLINK_OLDEST, dir, error));
  }
}

/**
 * On a full disk (only when N < n): if more than minFiles old files of any type exist, delete the
 * oldest with runit's warning and return true (the write is retried at once). Throws when the dir
 * cannot be read (the caller pauses).
 */
export function freeSpace(path: string, dir: string, minFiles: number, report: Report): boolean {
  const names = oldFiles(path);
  const oldest = names[0];
  if (names.length <= minFiles || oldest === undefined) return false;
  report(msg.diskFullDelete(dir, oldest));
  try {
    unlinkSync(forKernel(join(path, oldest)));
    return true;
  } catch (error) {
    report(msg.warn(msg.UNLINK_OLDEST, dir, error));
    return false;
  }
}
