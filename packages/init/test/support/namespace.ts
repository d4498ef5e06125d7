// Boots an init as PID 1 of a fresh PID + mount namespace (unshare), with a temp dir bind-mounted over
// /etc/runit (made in an overlay on /etc when the host has none), a FIFO over /dev/console and a
// private tmpfs on /run, all inside the namespace only.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cleanup, type Ending, PRIVATE_MOUNT_POINTS, UnsharedProcess } from '@runit-ts/test-support';
import { ConsoleCapture } from './console-capture.js';
import type { InitFlavour } from './flavours.js';

export interface NamespaceProcess {
  /** /proc/PID/stat as read. */
  stat: string;
  comm: string;
  /** One letter: R, S, D, Z, ... */
  state: string;
}

export interface BootOptions {
  /** Files for /etc/runit: name -> script text (made executable) or {text, mode}. */
  etc: Record<string, string | { text: string; mode: number }>;
  /** The command PID 1 execs (argv). */
  command: string[];
  /** Put a device that cannot be opened (ENXIO) over /dev/console instead of the capture FIFO. */
  brokenConsole?: boolean;
  /** Start PID 1 with no /proc mounted, as the kernel does (stage 1 then mounts it). */
  withoutProc?: boolean;
  /** A shell command run inside the namespace after the mounts, before the init (e.g. files in /run). */
  beforeInit?: string;
}

// Runs as the namespace's first process: private mounts, then exec of the init (keeping pid 1).
const MOUNT_AND_EXEC = `set -e
${PRIVATE_MOUNT_POINTS}
etc=$1 console=$2 scratch=$3
shift 3
private_mount_points "$scratch" /etc/runit
mount --bind "$etc" /etc/runit
mount -t tmpfs tmpfs /run
if [ "$console" = broken ]; then mknod /run/broken-console c 1 250; console=/run/broken-console; fi
mount --bind "$console" /dev/console
if [ -n "$RUNIT_TS_TEST_NO_PROC" ]; then unset RUNIT_TS_TEST_NO_PROC; umount -l /proc; fi
if [ -n "$RUNIT_TS_TEST_BEFORE_INIT" ]; then eval "$RUNIT_TS_TEST_BEFORE_INIT"; unset RUNIT_TS_TEST_BEFORE_INIT; fi
exec "$@"`;

function namespaceEnv(options: BootOptions): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (options.withoutProc) env.RUNIT_TS_TEST_NO_PROC = '1';
  if (options.beforeInit !== undefined) env.RUNIT_TS_TEST_BEFORE_INIT = options.beforeInit;
  return env;
}

export function writeFiles(dir: string, files: BootOptions['etc']): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, file] of Object.entries(files)) {
    const { text, mode } = typeof file === 'string' ? { text: file, mode: 0o755 } : file;
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    chmodSync(path, mode);
  }
}

export class BootedNamespace {
  readonly console: ConsoleCapture;
  readonly etc: string;
  readonly ended: Promise<Ending>;
  private readonly process: UnsharedProcess;

  constructor(
    cleanup: Cleanup,
    readonly dir: string,
    options: BootOptions,
  ) {
    this.etc = join(dir, 'etc');
    const scratch = join(dir, 'mount-points');
    mkdirSync(scratch);
    writeFiles(this.etc, options.etc);
    this.console = new ConsoleCapture(join(dir, 'console'));
    cleanup.add(() => this.console.close());
    const consoleArg = options.brokenConsole ? 'broken' : this.console.path;
    const proc = options.withoutProc ? [] : ['--mount-proc'];
    this.process = new UnsharedProcess(cleanup, proc, ['sh', '-c', MOUNT_AND_EXEC, 'sh', this.etc, consoleArg, scratch, ...options.command], namespaceEnv(options));
    this.ended = this.process.ended;
  }

  /** stdout and stderr of unshare (merged): where the init writes when it cannot open the console. */
  get output(): string {
    return this.process.output;
  }

  /** Host pid of the namespace's PID 1 (unshare's only child). */
  initPid(): Promise<number> {
    return this.process.initPid();
  }

  /** Runs argv inside the namespace (its PIDs and mounts); resolves with stdout. */
  exec(argv: string[], timeoutMs = 60_000): Promise<string> {
    return this.process.exec(argv, { timeoutMs });
  }

  /**
   * Runs `runit-init 0|6` inside the namespace. runit's TERM or KILL to all processes may end it
   * before it has exited itself (ours is a Node process, slower to exit than C): that counts as done.
   */
  async runitInit(flavour: InitFlavour, level: '0' | '6'): Promise<void> {
    await this.process.execUntilShutdown([flavour.runitInit, level]);
  }

  /**
   * Sends a signal to PID 1 from inside the namespace (the kernel delivers only handled ones). An
   * init that ends takes the namespace with it, `kill` included: a kill that runit's TERM or KILL to
   * all processes reached before it exited counts as sent.
   */
  async signalInit(signal: string): Promise<void> {
    await this.process.execUntilShutdown(['kill', `-${signal}`, '1']);
  }

  /** Processes in the namespace right now, from its own /proc (read by one shell, without a fork each). */
  async processes(): Promise<NamespaceProcess[]> {
    const out = await this.exec(['sh', '-c', 'for f in /proc/[0-9]*/stat; do { read -r l < "$f" && echo "$l"; } 2>/dev/null; done; true']);
    return out
      .split('\n')
      .filter((stat) => stat.includes(') '))
      .map((stat) => {
        const close = stat.lastIndexOf(')');
        return { stat, comm: stat.slice(stat.indexOf('(') + 1, close), state: stat.slice(close + 2, close + 3) };
      });
  }

  /** Zombies in the namespace right now: their stat lines. */
  async zombies(): Promise<string[]> {
    return (await this.processes()).filter((p) => p.state === 'Z').map((p) => p.stat);
  }

  /** Waits for the namespace to end; generous, as shutdown on a loaded machine may take a while. */
  async end(timeoutMs = 120_000): Promise<Ending> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`namespace still running after ${timeoutMs} ms\n--- console:\n${this.console.text}\n--- output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
