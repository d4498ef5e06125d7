// The `u`/`U` copy of each selected line to a UDP target; failures become notes in current.
import { createSocket, type Socket } from 'node:dgram';
import type { SvlogdUdpTarget } from '@runit-ts/protocol';
import * as msg from './messages.js';

/** Writes a note line into current: runit's warning text followed by the datagram. */
export type NoteWriter = (text: string, datagram: Uint8Array) => void;

export class UdpCopy {
  private socket: Socket | undefined;

  constructor(
    private readonly target: SvlogdUdpTarget,
    private readonly note: NoteWriter,
  ) {}

  send(datagram: Buffer, truncated: boolean): void {
    try {
      this.socket ??= this.open();
    } catch {
      // runit's note here has the line without its `...`.
      this.note(msg.UDP_NO_SOCKET, truncated ? Buffer.concat([datagram.subarray(0, -4), datagram.subarray(-1)]) : datagram);
      return;
    }
    this.socket.send(datagram, this.target.port, this.target.address, (error) => {
      if (error) this.note(msg.UDP_SEND_FAILED, datagram);
    });
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private open(): Socket {
    const socket = createSocket('udp4');
    // Send errors arrive in send's callback; anything else must not crash the logger.
    socket.on('error', () => undefined);
    socket.unref();
    return socket;
  }
}
