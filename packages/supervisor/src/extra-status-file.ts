// supervise/extra.json: written like runsv's status files (to extra.json.new, renamed over), only for
// a service that opted in to readiness, needs or a restart policy, and only when its content changed.
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { EXTRA_STATUS_FILE, encodeExtraStatus } from '@runit-ts/protocol';
import { extraStatusOf } from './extra-state.js';
import { WARNING, withError } from './messages.js';
import { quietly } from './quietly.js';
import type { ServiceDir } from './service-dir.js';
import type { ServiceRecord } from './service-record.js';

const PATH = `supervise/${EXTRA_STATUS_FILE}`;
const TEMP = `${PATH}.new`;
const CREATE = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_TRUNC | constants.O_CREAT | constants.O_NOFOLLOW;

export class ExtraStatusFile {
  private written: string | undefined;

  constructor(
    private readonly dir: ServiceDir,
    private readonly warn: (text: string) => void,
  ) {}

  /** A file left by an earlier supervisor would describe children that are gone. */
  removeStale(): void {
    quietly(() => unlinkSync(this.dir.at(PATH)));
  }

  write(s: ServiceRecord): void {
    if (!s.extra.tracked) return;
    const text = encodeExtraStatus(extraStatusOf(s.extra, process.pid, s.pid));
    if (text === this.written) return;
    let fd: number;
    try {
      fd = openSync(this.dir.at(TEMP), CREATE, 0o644);
    } catch (error) {
      this.warn(withError(WARNING.openNew(TEMP), error));
      return;
    }
    try {
      writeSync(fd, text);
    } catch (error) {
      this.warn(withError(WARNING.writeNew(TEMP), error));
      closeSync(fd);
      return;
    }
    closeSync(fd);
    try {
      renameSync(this.dir.at(TEMP), this.dir.at(PATH));
      this.written = text;
    } catch (error) {
      this.warn(withError(WARNING.rename(EXTRA_STATUS_FILE, PATH), error));
    }
  }
}
