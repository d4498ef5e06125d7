// Boots an init as PID 1 of a fresh PID + mount namespace (unshare), with a temp dir bind-mounted over
// /etc/runit (made in an overlay on /etc when the host has none), a FIFO over /dev/console and a
// private tmpfs on /run, all inside the namespace only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { childPids, PRIVATE_MOUNT_POINTS, waitFor, type Cleanup } from '@runit-ts/test-support';
import { writeExecutable } from './service-dirs.js';

// The namespace's first process: private mounts, then exec of the init, which keeps pid 1.
const MOUNT_AND_EXEC = `set -e
${PRIVATE_MOUNT_POINTS}
etc=$1 console=$2 scratch=$3
shift 3
private_mount_points "$scratch" /etc/runit
mount --bind "$etc" /etc/runit
mount -t tmpfs tmpfs /run
mount --bind "$console" /dev/console
exec "$@"`;

export interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the namespace's unshare exited. */
  at: number;
}

export interface BootOptions {
  /** Executable files for /etc/runit, by name. */
  etc: Record<string, string>;
  /** The console: a FIFO the harness reads. */
  console: string;
  /** The init, as PID 1 execs it. */
  init: string[];
}

export class Pid1Namespace {
  readonly ended: Promise<Ending>;
  private readonly unshare: ChildProcess;

  constructor(cleanup: Cleanup, dir: string, options: BootOptions) {
    const etc = join(dir, 'etc');
    mkdirSync(etc, { recursive: true });
    const scratch = join(dir, 'mount-points');
    mkdirSync(scratch);
    for (const [name, text] of Object.entries(options.etc)) writeExecutable(join(etc, name), text);
    this.unshare = spawn(
      'unshare',
      ['--pid', '--fork', '--mount-proc', '--mount', '--kill-child', 'sh', '-c', MOUNT_AND_EXEC, 'sh', etc, options.console, scratch, ...options.init],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    this.ended = new Promise((resolve) => this.unshare.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
    cleanup.add(async () => {
      if (this.unshare.exitCode !== null || this.unshare.signalCode !== null) return;
      this.unshare.kill('SIGKILL'); // --kill-child: the namespace's PID 1, and with it the namespace, goes too
      await this.ended;
    });
  }

  /** Host pid of the namespace's PID 1 (unshare's only child). */
  initPid(): Promise<number> {
    return waitFor(() => childPids(this.unshare.pid!)[0], 'the namespace to start');
  }

  /**
   * Starts argv inside the namespace (its PIDs and mounts) and does not wait for it: runit-init may be
   * killed by the shutdown it asked for.
   */
  async startInside(argv: string[]): Promise<void> {
    const pid = await this.initPid();
    spawn('nsenter', ['-t', String(pid), '-p', '-m', '--', ...argv], { stdio: 'ignore' });
  }
}
