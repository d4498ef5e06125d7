// The opt-in files of a service directory beyond runit (notification-fd, notify-socket, needs,
// restart-policy; docs/readiness-and-restarts.md), read at each start of ./run as s6-supervise reads
// notification-fd. runit's runsv ignores them; without them a service is supervised as runit does.
import { existsSync, readFileSync } from 'node:fs';
import { BEYOND } from './messages.js';
import type { ServiceDir } from './service-dir.js';

export interface DeathTally {
  /** Permanent failure after this many deaths … */
  deaths: number;
  /** … within this many ms. */
  withinMs: number;
}

/** restart-policy: exponential backoff, a healthy-run reset, s6's ./finish exit 125, a death tally. */
export interface RestartPolicy {
  /** The wait after the first unhealthy run. */
  backoffInitialMs: number;
  /** The cap of the doubling waits. */
  backoffMaxMs: number;
  /** A run is healthy once it has been ready (up, without readiness) this long: it restarts at once (s6: 1 s). */
  healthyMs: number;
  deathTally: DeathTally | undefined;
}

export interface ServiceConfig {
  /** s6's notification-fd: the fd ./run writes a newline to when ready. */
  notificationFd: number | undefined;
  /** The sd_notify bridge: ./run gets NOTIFY_SOCKET; READY=1 means ready. */
  notifySocket: boolean;
  /** needs: service dirs that must be up and ready before ./run starts (names as written). */
  needs: string[];
  policy: RestartPolicy | undefined;
  /** How long ./run waits for its needs before that counts as a failed start. */
  needsTimeoutMs: number;
}

export const DEFAULT_POLICY: Readonly<RestartPolicy> = { backoffInitialMs: 1000, backoffMaxMs: 60_000, healthyMs: 1000, deathTally: undefined };
export const DEFAULT_NEEDS_TIMEOUT_MS = 60_000;

/** A service dir with none of the files: runit's behaviour. */
export const PLAIN_CONFIG: Readonly<ServiceConfig> = Object.freeze({
  notificationFd: undefined,
  notifySocket: false,
  needs: [],
  policy: undefined,
  needsTimeoutMs: DEFAULT_NEEDS_TIMEOUT_MS,
});

/** Whether any opt-in file was there: the supervisor then keeps supervise/extra.json. */
export const optedIn = (c: ServiceConfig): boolean =>
  c.notificationFd !== undefined || c.notifySocket || c.needs.length > 0 || c.policy !== undefined;

const FILES = ['notification-fd', 'notify-socket', 'needs', 'restart-policy'] as const;

/** s6's rule: the first line, an unsigned decimal number; here 3 to 1023 (0–2 are runsv's stdio). */
export function parseNotificationFd(text: string): number | { invalid: string } | { standard: number } {
  const line = text.split('\n', 1)[0]!.trim();
  if (!/^\d{1,4}$/.test(line)) return { invalid: line };
  const fd = Number(line);
  if (fd <= 2) return { standard: fd };
  return fd <= 1023 ? fd : { invalid: line };
}

/** One service dir per line (blank lines and `#` comments skipped), relative to the services dir. */
export function parseNeeds(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const SECONDS = /^\d+(\.\d{1,3})?$/;
const toMs = (value: string): number | undefined => (SECONDS.test(value) ? Math.round(Number(value) * 1000) : undefined);

/**
 * `key=value` lines (blank lines and `#` comments skipped), seconds with up to three decimals:
 * backoff-initial, backoff-max, healthy-after, death-tally=N/SECONDS, needs-timeout. Lines it does not
 * understand are reported and skipped.
 */
export function parseRestartPolicy(text: string, warn: (line: string) => void): { policy: RestartPolicy; needsTimeoutMs: number } {
  const policy: RestartPolicy = { ...DEFAULT_POLICY };
  let needsTimeoutMs = DEFAULT_NEEDS_TIMEOUT_MS;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [key, value = ''] = line.split('=', 2).map((part) => part.trim()) as [string, string?];
    const ms = toMs(value);
    const tally = /^(\d+)\/(\d+(?:\.\d{1,3})?)$/.exec(value);
    if (key === 'backoff-initial' && ms !== undefined) policy.backoffInitialMs = ms;
    else if (key === 'backoff-max' && ms !== undefined) policy.backoffMaxMs = ms;
    else if (key === 'healthy-after' && ms !== undefined) policy.healthyMs = ms;
    else if (key === 'needs-timeout' && ms !== undefined && ms > 0) needsTimeoutMs = ms;
    else if (key === 'death-tally' && tally && Number(tally[1]) > 0) policy.deathTally = { deaths: Number(tally[1]), withinMs: toMs(tally[2]!)! };
    else warn(line);
  }
  return { policy, needsTimeoutMs };
}

/** One empty set for every reader with nothing to warn about, never added to. */
const NO_WARNINGS: ReadonlySet<string> = new Set();

/** Reads the files at each start; a warning is printed once, not at every restart, until it changes. */
export class ServiceConfigReader {
  private warned: ReadonlySet<string> = NO_WARNINGS;

  constructor(
    private readonly dir: ServiceDir,
    private readonly warn: (text: string, error?: unknown) => void,
  ) {}

  read(): ServiceConfig {
    const present = FILES.filter((file) => existsSync(this.dir.at(file)));
    if (present.length === 0) {
      this.warned = NO_WARNINGS;
      return PLAIN_CONFIG;
    }
    const config: ServiceConfig = { ...PLAIN_CONFIG, notifySocket: present.includes('notify-socket') };
    const warnings = new Set<string>();
    const note = (text: string, error?: unknown): void => {
      const key = error === undefined ? text : `${text}: ${(error as NodeJS.ErrnoException).code}`;
      warnings.add(key);
      if (!this.warned.has(key)) this.warn(text, error);
    };
    const text = (file: (typeof FILES)[number]): string | undefined => {
      if (!present.includes(file)) return undefined;
      try {
        return readFileSync(this.dir.at(file), 'utf8');
      } catch (error) {
        note(BEYOND.readFile(file), error);
        return undefined;
      }
    };
    const fdText = text('notification-fd');
    if (fdText !== undefined) {
      const fd = parseNotificationFd(fdText);
      if (typeof fd === 'number') config.notificationFd = fd;
      else note('standard' in fd ? BEYOND.notificationFdStandard(fd.standard) : BEYOND.notificationFd(fd.invalid));
    }
    const needs = text('needs');
    if (needs !== undefined) config.needs = parseNeeds(needs);
    const policy = text('restart-policy');
    if (policy !== undefined) Object.assign(config, parseRestartPolicy(policy, (line) => note(BEYOND.policyLine(line))));
    this.warned = warnings.size > 0 ? warnings : NO_WARNINGS;
    return config;
  }
}
