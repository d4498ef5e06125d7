// supervise/extra.json: written like runsv's status files (to extra.json.new, renamed over), only for
// a service that opted in to readiness, needs or a restart policy, and only when its content changed;
// the .new file is created anew as status-files.ts creates its own, never through a planted link.
import { closeSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { EXTRA_STATUS_FILE, encodeExtraStatus } from '@runit-ts/protocol';
import { extraStatusOf } from './extra-state.js';
import { WARNING, withError } from './messages.js';
import { quietly } from './quietly.js';
import type { ServiceDir } from './service-dir.js';
import type { ServiceRecord } from './service-record.js';
import { createNew } from './status-files.js';

const PATH = `supervise/${EXTRA_STATUS_FILE}`;
const TEMP = `${PATH}.new`;

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
      fd = createNew(this.dir.at(TEMP));
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
