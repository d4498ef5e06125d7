// ./needs: ./run starts only once every service named there is up and ready, as that service's own
// supervise/ shows it, whoever supervises it (a supervisor in this process or another, or runit's
// runsv, under which a service is ready once up). Woken by inotify on each unmet dependency's
// supervise/ (fs.watch), never by polling. Missing names and cycles are warned about, not waited for.
import { existsSync, readFileSync, realpathSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { readServiceReadiness } from '@runit-ts/sv';
import { BEYOND } from './messages.js';
import { parseNeeds } from './service-config.js';

interface Watched {
  /** The directory watched: the dependency's supervise/, or the dependency itself until supervise/ exists. */
  target: string;
  watcher: FSWatcher;
}

const realpath = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

function needsOf(dir: string): string[] {
  try {
    return parseNeeds(readFileSync(join(dir, 'needs'), 'utf8'));
  } catch {
    return [];
  }
}

const isReady = (dir: string): boolean => {
  const seen = readServiceReadiness(dir);
  return seen.kind === 'status' && seen.ready;
};

/** A name in ./needs as a path: absolute as written, else relative to the services dir. */
const dependencyDir = (servicesDir: string, name: string): string => (isAbsolute(name) ? name : join(servicesDir, name));

/** One empty set for every gate with nothing to warn about, never added to. */
const NO_WARNINGS: ReadonlySet<string> = new Set();

export class NeedsGate {
  /** Made at the first watch: most services have no ./needs. */
  private watched: Map<string, Watched> | undefined;
  private warned: ReadonlySet<string> = NO_WARNINGS;
  private readonly selfDir: string;

  constructor(
    /** The service dir as the supervisor was given it (resolved here, against the current directory). */
    serviceDir: string,
    /** Called when a dependency's supervise/ changes: the supervisor looks again. */
    private readonly wake: () => void,
    private readonly warn: (text: string, error?: unknown) => void,
  ) {
    this.selfDir = resolve(serviceDir);
  }

  /** The names not yet up and ready; each is watched until it is, or is no longer needed. */
  unmet(names: readonly string[]): string[] {
    const servicesDir = dirname(this.selfDir);
    const warnings = new Set<string>();
    const note = (text: string, error?: unknown): void => {
      const key = error === undefined ? text : `${text}: ${(error as NodeJS.ErrnoException).code}`;
      warnings.add(key);
      if (!this.warned.has(key)) this.warn(text, error);
    };
    const unmet: string[] = [];
    const keep = new Set<string>();
    for (const name of names) {
      const dir = dependencyDir(servicesDir, name);
      try {
        statSync(dir);
      } catch (error) {
        note(BEYOND.needsMissing(name), error);
        continue;
      }
      const cycle = this.cycleThrough(dir, name);
      if (cycle) {
        note(BEYOND.needsCycle(cycle));
        continue;
      }
      if (isReady(dir)) continue;
      // The dependency's supervisor is another process: a change it makes between the look above and
      // the watch would send no event, so the watch is made first and then a second look taken.
      const trouble = this.watch(dir);
      if (trouble) note(BEYOND.needsWatch(name), trouble);
      if (isReady(dir)) continue;
      unmet.push(name);
      keep.add(dir);
    }
    for (const dir of [...(this.watched?.keys() ?? [])]) if (!keep.has(dir)) this.unwatch(dir);
    this.warned = warnings.size > 0 ? warnings : NO_WARNINGS;
    return unmet;
  }

  /** Stops every watch. */
  close(): void {
    for (const dir of [...(this.watched?.keys() ?? [])]) this.unwatch(dir);
  }

  /** The chain of names back to this service when `dir`'s needs lead there, else undefined. */
  private cycleThrough(dir: string, name: string): string[] | undefined {
    const self = realpath(this.selfDir);
    if (self === undefined) return undefined;
    const seen = new Set<string>();
    const visit = (at: string, path: string[]): string[] | undefined => {
      const real = realpath(at);
      if (real === undefined || seen.has(real)) return undefined;
      if (real === self) return path;
      seen.add(real);
      for (const next of needsOf(at)) {
        const found = visit(dependencyDir(dirname(resolve(at)), next), [...path, next]);
        if (found) return found;
      }
      return undefined;
    };
    return visit(dir, [basename(this.selfDir), name]);
  }

  /**
   * Watches the dependency's supervise/ (its dir until supervise/ exists). A watch that cannot be
   * made (inotify's limits) is reported: the start then waits for the next wake-up or the timeout.
   */
  private watch(dir: string): unknown {
    const supervise = join(dir, 'supervise');
    const target = existsSync(supervise) ? supervise : dir;
    if (this.watched?.get(dir)?.target === target) return undefined;
    this.unwatch(dir);
    try {
      const watcher = watch(target, { persistent: true }, () => this.wake());
      // the directory went away: watched again at the next look
      watcher.on('error', () => this.unwatch(dir));
      (this.watched ??= new Map()).set(dir, { target, watcher });
      return undefined;
    } catch (error) {
      return error;
    }
  }

  private unwatch(dir: string): void {
    const watched = this.watched?.get(dir);
    if (!watched) return;
    this.watched!.delete(dir);
    watched.watcher.close();
  }
}
