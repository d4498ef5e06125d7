// The last lines of a service's logs, for the status page: the `current` of each directory under
// log/ that has one (log/main/current for `svlogd ./main`), or of the dirs a hosted-log file names.
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { HOSTED_LOG_FILE, parseHostedLog } from '../hosted-log-file.js';

export interface LogTail {
  /** The log dir as the page names it: `log/main`, or a hosted log's dir as its file gives it. */
  dir: string;
  lines: string[];
}

/** How much of `current` is read: its end, enough for the lines shown. */
const TAIL_BYTES = 8192;
export const TAIL_LINES = 10;
const LINE_CHARS = 400;

/** The log dirs of the service at `dir`, as [shown name, path]. Never throws. */
export function logDirsOf(dir: string): Array<[string, string]> {
  try {
    if (statSync(`${dir}/log`).isDirectory()) {
      const found: Array<[string, string]> = [];
      for (const name of readdirSync(`${dir}/log`).sort()) {
        if (name.startsWith('.') || name === 'supervise') continue;
        const path = `${dir}/log/${name}`;
        if (statSync(path, { throwIfNoEntry: false })?.isDirectory() && hasCurrent(path)) found.push([`log/${name}`, path]);
      }
      return found;
    }
  } catch {
    // no log/ (or an unreadable one): a hosted log, maybe
  }
  try {
    const plan = parseHostedLog(readFileSync(`${dir}/${HOSTED_LOG_FILE}`, 'utf8'));
    if (typeof plan === 'string') return [];
    return plan.dirs.map((name) => [name, isAbsolute(name) ? name : `${dir}/${name}`]);
  } catch {
    return [];
  }
}

function hasCurrent(logDir: string): boolean {
  try {
    return statSync(`${logDir}/current`, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The last lines of `logDir/current`. Opened without following a link and read only when it is a
 * regular file: the log dir's owner (svlogd's user) must not make the root endpoint show another file.
 */
export function readTail(logDir: string, lines = TAIL_LINES): string[] {
  let fd: number;
  try {
    fd = openSync(`${logDir}/current`, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return [];
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return [];
    const length = Math.min(stat.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const got = readSync(fd, buffer, 0, length, stat.size - length);
    const text = buffer.subarray(0, got).toString('utf8');
    const all = text.split('\n');
    if (length < stat.size) all.shift(); // the first one is cut
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines).map((line) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line));
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

export const readLogTails = (dir: string): LogTail[] => logDirsOf(dir).map(([shown, path]) => ({ dir: shown, lines: readTail(path) }));
