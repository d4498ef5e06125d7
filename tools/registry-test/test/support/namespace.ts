// A PID + mount namespace whose PID 1 is an init of the installed runit-ts: host directories bound
// over the places the recipes name (/etc/runit, /etc/service, /usr/local), a FIFO over /dev/console
// that the test reads, optional commands run first (a Dockerfile's RUN lines), then PID 1 exec'd
// with exactly the environment given. Nothing of it is visible outside the namespace, and a mount
// point the host lacks is made in an overlay inside it.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { type Cleanup, type Ending, PRIVATE_MOUNT_POINTS, UnsharedProcess, waitFor } from '@runit-ts/test-support';

export interface BootOptions {
  /** [host dir, mount point]: each host dir bound over its mount point. */
  binds: Array<[string, string]>;
  /** Shell commands run inside before PID 1 starts, with `beforeEnv`, each of which must succeed. */
  before?: string[];
  beforeEnv?: NodeJS.ProcessEnv;
  /** PID 1's argv (a bare name is searched on env.PATH, as Docker and env do) and whole environment. */
  command: string[];
  env: Record<string, string>;
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

function script(options: BootOptions, consolePath: string, scratch: string): string {
  const points = options.binds.map(([, point]) => quote(point));
  const binds = options.binds.map(([host, point]) => `mount --bind ${quote(host)} ${quote(point)}`);
  const env = Object.entries(options.env).map(([key, value]) => quote(`${key}=${value}`));
  return [
    'set -e',
    PRIVATE_MOUNT_POINTS,
    `private_mount_points ${quote(scratch)} ${points.join(' ')}`,
    ...binds,
    'mount -t tmpfs tmpfs /run',
    `mount --bind ${quote(consolePath)} /dev/console`,
    ...(options.before ?? []).map((command) => `sh -c ${quote(command)}`),
    `exec env -i ${env.join(' ')} ${options.command.map(quote).join(' ')}`,
  ].join('\n');
}

/** A FIFO standing in for /dev/console: runit reopens it at every turn, a FIFO loses nothing. */
class ConsoleFifo {
  text = '';
  private readonly socket: Socket;
  private readonly keepOpen: number;

  constructor(readonly path: string) {
    execFileSync('mkfifo', ['-m', '600', path]);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.keepOpen = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.socket = new Socket({ fd: readFd, readable: true, writable: false });
    this.socket.setEncoding('utf8').on('data', (chunk: string) => (this.text += chunk));
  }

  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }

  close(): void {
    this.socket.destroy();
    closeSync(this.keepOpen);
  }
}

export class BootedNamespace {
  readonly console: ConsoleFifo;
  private readonly process: UnsharedProcess;

  constructor(cleanup: Cleanup, dir: string, options: BootOptions) {
    // A mount point the host lacks is made inside the namespace (in an overlay), never on the host.
    const scratch = join(dir, 'mount-points');
    mkdirSync(scratch);
    this.console = new ConsoleFifo(join(dir, 'console'));
    cleanup.add(() => this.console.close());
    this.process = new UnsharedProcess(cleanup, ['--mount-proc'], ['sh', '-c', script(options, this.console.path, scratch)], {
      PATH: process.env.PATH,
      ...options.beforeEnv,
    });
  }

  /** stdout and stderr of unshare: where PID 1 writes when it cannot open the console. */
  get output(): string {
    return this.process.output;
  }

  /** Host pid of the namespace's PID 1 (unshare's only child). */
  initPid(): Promise<number> {
    return this.process.initPid();
  }

  /** Runs argv inside the namespace (its PIDs and mounts) with env; resolves with stdout. */
  exec(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
    return this.process.exec(argv, { env });
  }

  /** `runit-init LEVEL` inside the namespace; runit's TERM or KILL to all ending it first counts as done. */
  runitInit(level: '0' | '6', env: NodeJS.ProcessEnv): Promise<void> {
    return this.process.execUntilShutdown(['runit-init', level], { env });
  }

  async waitForConsole(line: string, timeoutMs = 180_000): Promise<void> {
    try {
      await waitFor(() => this.console.lines().includes(line), `console line ${line}`, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- console:\n${this.console.text}\n--- output:\n${this.output}`);
    }
  }

  async end(timeoutMs = 180_000): Promise<Ending> {
    try {
      return await waitFor(() => this.process.endedWith, 'the namespace to end', timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- console:\n${this.console.text}\n--- output:\n${this.output}`);
    }
  }
}
