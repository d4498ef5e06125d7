// A FIFO that stands in for /dev/console inside a namespace: the test reads everything written to it.
// A FIFO, not a file: runit opens the console without O_APPEND and re-opens it at every loop turn,
// which would overwrite a file from offset 0.
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { mkfifo } from '@runit-ts/native';
import { waitFor } from '@runit-ts/test-support';

export class ConsoleCapture {
  text = '';
  private readonly socket: Socket;
  private readonly keepOpen: number;

  constructor(readonly path: string) {
    mkfifo(path, 0o600);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    // Our own writer keeps the FIFO from reaching EOF between the init's opens and closes.
    this.keepOpen = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.socket = new Socket({ fd: readFd, readable: true, writable: false });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.text += chunk;
    });
  }

  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }

  /** runit's own lines (`- runit: …`), with the version in the booting line made neutral. */
  runitLines(): string[] {
    return this.lines()
      .filter((line) => line.startsWith('- runit: '))
      .map((line) => line.replace(/^- runit: \$Id: [^$]* \$: booting\.$/, '- runit: $Id$: booting.'));
  }

  /** Waits until `count` lines equal to `line` (or matching it) have been written. */
  async waitForLine(line: string | RegExp, count = 1, timeoutMs = 60_000): Promise<void> {
    const matches = (l: string): boolean => (typeof line === 'string' ? l === line : line.test(l));
    try {
      await waitFor(() => this.lines().filter(matches).length >= count, `${count} console line(s) ${String(line)}`, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- console so far:\n${this.text}`);
    }
  }

  close(): void {
    this.socket.destroy();
    closeSync(this.keepOpen);
  }
}
