// The scanner: runsvdir's table of services keyed by (dev, inode), its rescans, restarts and stops.
// It reacts to inotify at once and keeps runit's periodic look as the fallback for what inotify misses.
import { realpathSync, statSync, type BigIntStats } from 'node:fs';
import { forKernel, textOfBytes } from '@runit-ts/native';
import type { DiagnosticSink } from '@runit-ts/supervisor';
import { DirWatch } from './dir-watch.js';
import { LaunchError, type HostedService, type ServiceLauncher } from './service-launcher.js';
import { runsvdirMessages as M } from './messages.js';
import { listServices, ListingError, type ServiceEntry } from './service-listing.js';

/** runit's MAXSERVICES. */
export const MAX_SERVICES = 1000;

export interface ScannerOptions {
  /** The services directory as given on the command line (messages name it so). */
  svdir: string;
  launcher: ServiceLauncher;
  /** Receives every warning. */
  report: DiagnosticSink;
  maxServices?: number;
  /** A service whose host ended is started again at once, but never twice within this time. */
  minRestartMs?: number;
  /** runit's periodic look at the directory: every 5 s, every 1 s while something needs checking. */
  idleCheckMs?: number;
  busyCheckMs?: number;
  /** React to inotify events (default true); without it only the periodic look finds changes. */
  watch?: boolean;
  /** Called after a scan that added, removed or renamed services. */
  tableChanged?: () => void;
}

interface TrackedService {
  key: string;
  name: string;
  /** The service directory as last scanned (the services directory resolved, then the name). */
  dir: string;
  hosted: HostedService | undefined;
  /** When its host was last started (ms, monotonic). */
  startedAt: number;
}

export interface ServiceView {
  name: string;
  key: string;
  dir: string;
  running: boolean;
}

const now = (): number => performance.now();
const SCAN_DELAY_MS = 5;

/**
 * realpath(svdir). Node's own realpathSync walks the path as text, so a name that is not UTF-8 goes
 * through realpath(3) (realpathSync.native), which takes and gives bytes.
 */
function resolvedPath(svdir: string): string {
  const bytes = forKernel(svdir);
  return typeof bytes === 'string' ? realpathSync(bytes) : textOfBytes(realpathSync.native(bytes, { encoding: 'buffer' }));
}

export class DirScanner {
  private readonly table = new Map<string, TrackedService>();
  /** Hosts told to stop that have not ended yet (removed services, or all of them at the end). */
  private readonly stopping = new Set<HostedService>();
  private readonly options: Required<Omit<ScannerOptions, 'report' | 'launcher' | 'svdir' | 'tableChanged'>>;
  private checkNeeded = true;
  private seen: { dev: bigint; ino: bigint; mtimeNs: bigint } | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private soonAt = Infinity;
  private readonly watch: DirWatch | undefined;
  private state: 'new' | 'scanning' | 'stopped' = 'new';
  private drained: (() => void) | undefined;
  /** Scans done so far (for tests and benchmarks). */
  scans = 0;

  constructor(private readonly config: ScannerOptions) {
    this.options = {
      maxServices: config.maxServices ?? MAX_SERVICES,
      minRestartMs: config.minRestartMs ?? 1000,
      idleCheckMs: config.idleCheckMs ?? 5000,
      busyCheckMs: config.busyCheckMs ?? 1000,
      watch: config.watch ?? true,
    };
    if (this.options.watch) {
      this.watch = new DirWatch(config.svdir, {
        entriesChanged: () => this.scanSoon(0, true),
        pathChanged: () => this.scanSoon(0, false),
      });
    }
  }

  /** Looks at the directory now, then keeps looking. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'scanning';
    this.look(false);
  }

  /** Stops looking (services keep running): runsvdir's SIGTERM. */
  stop(): void {
    this.state = 'stopped';
    clearTimeout(this.periodic);
    clearTimeout(this.soon);
    this.watch?.close();
  }

  /**
   * Stops looking and stops every service as runsv stops on SIGTERM; resolves when every host has
   * ended (SIGHUP does not wait for that, SIGINT does).
   */
  terminateAll(): Promise<void> {
    this.stop();
    for (const service of this.table.values()) {
      if (service.hosted) this.terminate(service.hosted);
    }
    this.table.clear();
    return this.settled();
  }

  /** Resolves once no host is left stopping. */
  private settled(): Promise<void> {
    if (this.stopping.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  get services(): ServiceView[] {
    return [...this.table.values()].map((s) => ({ name: s.name, key: s.key, dir: s.dir, running: s.hosted !== undefined }));
  }

  /** Whether it still looks at the directory (false once stopped). */
  get scanning(): boolean {
    return this.state === 'scanning';
  }

  /** Hosts still stopping. */
  get stoppingCount(): number {
    return this.stopping.size;
  }

  // ---- when to look ----

  /** Runs a look after `delayMs` unless one is due earlier; `rescan` forces reading the entries. */
  private scanSoon(delayMs: number, rescan: boolean): void {
    if (this.state !== 'scanning') return;
    if (rescan) this.checkNeeded = true;
    const at = now() + Math.max(delayMs, SCAN_DELAY_MS);
    if (this.soon && this.soonAt <= at) return;
    clearTimeout(this.soon);
    this.soonAt = at;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.soonAt = Infinity;
      this.look(false);
    }, at - now());
  }

  private schedulePeriodic(): void {
    clearTimeout(this.periodic);
    if (this.state !== 'scanning') return;
    const delay = this.checkNeeded ? this.options.busyCheckMs : this.options.idleCheckMs;
    this.periodic = setTimeout(() => this.look(false), delay);
  }

  /** runit's loop turn: stat the directory, and rescan when asked to or when it changed. */
  private look(force: boolean): void {
    if (this.state !== 'scanning') return;
    try {
      const stat = this.statDir();
      if (stat) {
        const changed = !this.seen || this.seen.dev !== stat.dev || this.seen.ino !== stat.ino || this.seen.mtimeNs !== stat.mtimeNs;
        if (changed || force || this.checkNeeded) {
          if (!this.seen || this.seen.dev !== stat.dev || this.seen.ino !== stat.ino) this.watch?.rearm();
          this.seen = { dev: stat.dev, ino: stat.ino, mtimeNs: stat.mtimeNs };
          this.checkNeeded = false;
          this.scan();
        }
      } else {
        this.watch?.rearm();
      }
    } catch (error) {
      this.config.report(M.internal(this.config.svdir, String(error)));
    }
    this.schedulePeriodic();
  }

  private statDir(): BigIntStats | undefined {
    const { svdir, report } = this.config;
    let stat: BigIntStats;
    try {
      stat = statSync(forKernel(svdir), { bigint: true });
    } catch (error) {
      report(M.unableToStatDir(svdir, error));
      return undefined;
    }
    if (!stat.isDirectory()) {
      report(M.unableToChangeTo(svdir, 'ENOTDIR'));
      return undefined;
    }
    return stat;
  }

  // ---- the scan ----

  private scan(): void {
    const { svdir, report } = this.config;
    this.scans++;
    let resolved: string;
    let listing;
    try {
      resolved = resolvedPath(svdir);
      listing = listServices(resolved);
    } catch (error) {
      this.checkNeeded = true;
      if (error instanceof ListingError) {
        report((error.step === 'open' ? M.unableToOpenDir : M.unableToReadDir)(svdir, error.cause));
      } else {
        report(M.unableToChangeTo(svdir, error));
      }
      return;
    }
    for (const { name, error } of listing.unreadable) report(M.unableToStatEntry(svdir, name, error));
    const present = new Set<string>();
    let changed = false;
    let retryAt = Infinity;
    for (const entry of listing.entries) {
      present.add(entry.key);
      const known = this.table.get(entry.key);
      if (known) {
        const dir = `${resolved}/${entry.name}`;
        if (known.dir !== dir) changed = true;
        known.name = entry.name;
        known.dir = dir;
        if (known.hosted) continue;
        const due = known.startedAt + this.options.minRestartMs;
        if (now() < due) retryAt = Math.min(retryAt, due);
        else this.launch(known, resolved);
        continue;
      }
      if (this.table.size >= this.options.maxServices) {
        report(M.tooManyServices(svdir, entry.name));
        continue;
      }
      const service: TrackedService = { key: entry.key, name: entry.name, dir: `${resolved}/${entry.name}`, hosted: undefined, startedAt: 0 };
      this.table.set(entry.key, service);
      this.launch(service, resolved);
      this.checkNeeded = true;
      changed = true;
    }
    for (const [key, service] of this.table) {
      if (present.has(key)) continue;
      if (service.hosted) this.terminate(service.hosted);
      this.config.launcher.forget?.(key);
      this.table.delete(key);
      this.checkNeeded = true;
      changed = true;
    }
    if (changed) this.config.tableChanged?.();
    if (retryAt !== Infinity) this.scanSoon(retryAt - now(), true);
  }

  private launch(service: TrackedService, svdir: string): void {
    service.startedAt = now();
    try {
      let hosted: HostedService | undefined;
      hosted = this.config.launcher.launch({ name: service.name, svdir, key: service.key }, () => {
        if (hosted) this.hostEnded(service, hosted);
      });
      service.hosted = hosted;
    } catch (error) {
      this.checkNeeded = true;
      this.config.report(error instanceof LaunchError ? error.diagnostic : M.internal(this.config.svdir, String(error)));
      this.scanSoon(this.options.minRestartMs, true);
    }
  }

  private hostEnded(service: TrackedService, hosted: HostedService): void {
    if (this.stopping.delete(hosted)) {
      if (this.stopping.size === 0) this.drained?.();
      return;
    }
    if (service.hosted !== hosted || this.table.get(service.key) !== service) return;
    service.hosted = undefined;
    this.scanSoon(service.startedAt + this.options.minRestartMs - now(), true);
  }

  private terminate(hosted: HostedService): void {
    this.stopping.add(hosted);
    hosted.terminate();
  }
}
