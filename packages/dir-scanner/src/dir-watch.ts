// inotify (fs.watch) on the services directory and on the directories holding each symlink that
// leads to it (runsvchdir swaps `current`), so the scanner hears of changes in milliseconds.
import { lstatSync, readlinkSync, watch, type FSWatcher } from 'node:fs';
import { forKernel, textOfBytes } from '@runit-ts/native';
import { basename, dirname, resolve } from 'node:path';

export interface DirWatchEvents {
  /** Something changed among the directory's entries. */
  entriesChanged(): void;
  /** The directory itself, or a symlink on the way to it, may have been replaced or removed. */
  pathChanged(): void;
}

/** Enough for any sane chain of links (the kernel itself gives up at 40). */
const MAX_LINKS = 40;

export class DirWatch {
  private watchers: FSWatcher[] = [];

  constructor(
    private readonly dir: string,
    private readonly events: DirWatchEvents,
  ) {}

  /** (Re)creates every watch: called when the directory's identity changed or a watch died. */
  rearm(): void {
    this.close();
    this.add(this.dir, () => this.events.entriesChanged());
    for (const { parent, name } of linkChain(this.dir)) {
      this.add(parent, (file) => {
        if (file === null || file === name) this.events.pathChanged();
      });
    }
  }

  close(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  private add(path: string, onEvent: (file: string | null) => void): void {
    let watcher: FSWatcher;
    try {
      watcher = watch(forKernel(path), { persistent: false, encoding: 'buffer' }, (_event, file) => onEvent(file === null ? null : textOfBytes(file)));
    } catch {
      return; // missing for now: the periodic look notices when it comes back and rearms
    }
    watcher.on('error', () => {
      watcher.close();
      this.events.pathChanged();
    });
    this.watchers.push(watcher);
  }
}

/** The directory holding `path` and each symlink met while following it, with the entry's name. */
function linkChain(path: string): Array<{ parent: string; name: string }> {
  const chain: Array<{ parent: string; name: string }> = [];
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    chain.push({ parent: dirname(current), name: basename(current) });
    let target: string;
    try {
      if (!lstatSync(forKernel(current)).isSymbolicLink()) break;
      target = textOfBytes(readlinkSync(forKernel(current), { encoding: 'buffer' }));
    } catch {
      break;
    }
    current = resolve(dirname(current), target);
  }
  return chain;
}
