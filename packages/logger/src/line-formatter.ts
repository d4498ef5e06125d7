// Turns input bytes into a log dir's output (docs/runit-behaviour.md §5.5): lines framed at `\n`, stamped, prefixed,
// replaced and selected on their first `len` bytes, copied to stderr/UDP; the rest of a long line
// is passed through untouched. Output is staged in the Logger's buffers and handed to `current`.
import { SELECT_LOG, SELECT_STDERR, selectLine, type SvlogdConfig } from '@runit-ts/protocol';
import type { Settings } from './options.js';
import { STAMP_LENGTH } from './stamp.js';
import type { Staging, Write } from './staging.js';

/** Where formatted output goes (a CurrentFile); it copies what it cannot write at once. */
export interface OutputSink {
  write(buf: Uint8Array, start: number, end: number): boolean;
}

/** Where the copies of a line go besides the file: `e` lines to stderr, `u`/`U` lines to UDP. */
export interface LineCopies {
  stderr(bytes: Uint8Array): void;
  /** One datagram: stamp + prefix + first len bytes (+ `...` when the line was longer) + `\n`. */
  udp?(datagram: Buffer, truncated: boolean): void;
}

const NEWLINE = 10;
const ELLIPSIS = Buffer.from('...');
const NEWLINE_BYTE = Buffer.from('\n');

const enum LineState {
  /** Between lines. */
  Idle,
  /** Fewer than len bytes of a line seen: they wait in `carry` for the rest or the `\n`. */
  Carry,
  /** The first len bytes were handled: the rest of the line is passed through until its `\n`. */
  Tail,
}

export class LineFormatter {
  private state = LineState.Idle;
  private carry: Buffer | undefined;
  private carried = 0;
  private readonly lineStamp = Buffer.alloc(STAMP_LENGTH);
  private lineStampLength = 0;
  private tailSelected = false;
  private replaced: Buffer | undefined;
  /**
   * runit's line buffer as it stands after each line: a `+c` pattern that meets the end of a line
   * compares c with the byte there (left by an earlier, longer line). Kept while the config has patterns.
   */
  private lineMemory: Buffer | undefined;
  private prefix: Buffer = Buffer.alloc(0);
  private config: SvlogdConfig | undefined;
  /** No replacement, patterns or UDP: a line's output is stamp + prefix + its bytes, copied as is. */
  private plain = true;
  private pendingNotes: Buffer[] = [];
  private readonly toSink: Write = (bytes, start, end) => this.sink.write(bytes, start, end);
  private readonly toStderr: Write = (bytes, start, end) => this.copies.stderr(Buffer.from(bytes.subarray(start, end)));

  /** `staging` is lent by the Logger: output waits there until this formatter hands it on. */
  constructor(
    private readonly settings: Settings,
    private readonly sink: OutputSink,
    private readonly copies: LineCopies,
    private readonly staging: Staging,
  ) {}

  configure(config: SvlogdConfig): void {
    this.config = config;
    this.prefix = Buffer.from(config.prefix);
    if (config.patterns.length > 0) this.lineMemory ??= Buffer.alloc(this.settings.lineMax + 1);
    this.plain = this.settings.replaceByte < 0 && config.patterns.length === 0 && config.udp === undefined && !config.udpOnly;
  }

  /** True while a line has begun and not ended. */
  get midLine(): boolean {
    return this.state !== LineState.Idle;
  }

  /** Formats chunk[start, end); `stamp` is the time of this read (empty without -t). */
  feed(chunk: Buffer, start: number, end: number, stamp: Buffer): void {
    let pos = start;
    if (this.state !== LineState.Idle) pos = this.continueLine(chunk, pos, end);
    if (this.state === LineState.Idle && this.pendingNotes.length > 0) this.writeNotes();
    if (pos < end && this.state === LineState.Idle) {
      pos = this.plain ? this.plainLines(chunk, pos, end, stamp) : this.lines(chunk, pos, end, stamp);
      if (pos < end) this.beginLine(chunk, pos, end, stamp);
    }
    this.flush();
  }

  /** End of input: a line without its `\n` is completed and written (runit drops it). */
  finish(): void {
    if (this.state === LineState.Carry) this.line(this.carry!, 0, this.carried, this.lineStamp.subarray(0, this.lineStampLength));
    else if (this.state === LineState.Tail && this.tailSelected) this.put(NEWLINE_BYTE, 0, 1);
    this.state = LineState.Idle;
    this.writeNotes();
    this.flush();
  }

  /** A note for current (a UDP failure), written between lines. */
  note(text: string, datagram: Uint8Array): void {
    const bytes = Buffer.concat([Buffer.from(text), datagram]);
    if (this.state !== LineState.Idle) this.pendingNotes.push(bytes);
    else this.sink.write(bytes, 0, bytes.length);
  }

  /** The fast path: whole lines copied with their stamp and prefix; returns where the last line ended. */
  private plainLines(chunk: Buffer, start: number, end: number, stamp: Buffer): number {
    const prefix = this.prefix;
    const extra = stamp.length + prefix.length;
    let pos = start;
    if (extra === 0) {
      // Nothing to add: the output is the input, up to its last newline.
      const last = chunk.lastIndexOf(NEWLINE, end - 1);
      if (last < pos) return pos;
      this.flush();
      this.sink.write(chunk, pos, last + 1);
      return last + 1;
    }
    const output = this.staging.output;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, pos);
      if (newline === -1 || newline >= end) return pos;
      if (output.reserve(extra + newline + 1 - pos, this.toSink)) {
        output.append(stamp);
        if (prefix.length > 0) output.append(prefix);
        output.append(chunk, pos, newline + 1);
      } else {
        this.put(stamp, 0, stamp.length);
        this.put(prefix, 0, prefix.length);
        this.put(chunk, pos, newline + 1);
      }
      pos = newline + 1;
    }
  }

  /** The general path for whole lines; returns where the last line ended. */
  private lines(chunk: Buffer, start: number, end: number, stamp: Buffer): number {
    let pos = start;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, pos);
      if (newline === -1 || newline >= end) return pos;
      this.line(chunk, pos, newline, stamp);
      pos = newline + 1;
    }
  }

  /** The start of a line whose `\n` has not come yet: keep it, or handle its head if it is long. */
  private beginLine(chunk: Buffer, pos: number, end: number, stamp: Buffer): void {
    stamp.copy(this.lineStamp);
    this.lineStampLength = stamp.length;
    const { lineMax } = this.settings;
    if (end - pos < lineMax) {
      this.carry ??= Buffer.allocUnsafe(lineMax);
      this.carried = chunk.copy(this.carry, 0, pos, end);
      this.state = LineState.Carry;
      return;
    }
    this.head(chunk, pos, stamp);
    if (this.tailSelected) this.put(chunk, pos + lineMax, end);
  }

  /** Goes on with a line begun in an earlier chunk; returns where this chunk's next line starts. */
  private continueLine(chunk: Buffer, pos: number, end: number): number {
    const found = chunk.indexOf(NEWLINE, pos);
    const newline = found === -1 || found >= end ? -1 : found;
    if (this.state === LineState.Carry) {
      const room = this.settings.lineMax - this.carried;
      const stamp = this.lineStamp.subarray(0, this.lineStampLength);
      if (newline !== -1 && newline - pos < room) {
        this.carried += chunk.copy(this.carry!, this.carried, pos, newline);
        this.state = LineState.Idle;
        this.line(this.carry!, 0, this.carried, stamp);
        return newline + 1;
      }
      if (newline === -1 && end - pos < room) {
        this.carried += chunk.copy(this.carry!, this.carried, pos, end);
        return end;
      }
      this.carried += chunk.copy(this.carry!, this.carried, pos, pos + room);
      this.head(this.carry!, 0, stamp);
      pos += room;
    }
    if (newline === -1) {
      if (this.tailSelected) this.put(chunk, pos, end);
      return end;
    }
    if (this.tailSelected) this.put(chunk, pos, newline + 1);
    this.state = LineState.Idle;
    return newline + 1;
  }

  /** A whole line: src[start, newline) without its `\n`. */
  private line(src: Buffer, start: number, newline: number, stamp: Buffer): void {
    const { lineMax } = this.settings;
    const length = newline - start;
    const headLength = Math.min(length, lineMax);
    if (this.handleHead(src, start, headLength, length >= lineMax, stamp)) {
      this.put(src, start + headLength, newline);
      this.put(NEWLINE_BYTE, 0, 1);
    }
  }

  /** The first len bytes of a line that goes on past them: the rest follows as its tail. */
  private head(src: Buffer, start: number, stamp: Buffer): void {
    this.tailSelected = this.handleHead(src, start, this.settings.lineMax, true, stamp);
    this.state = LineState.Tail;
  }

  /**
   * Replacement, selection, the stderr and UDP copies, and the file's stamp + prefix + head.
   * Returns whether the rest of the line goes to the file too.
   */
  private handleHead(src: Buffer, start: number, length: number, truncated: boolean, stamp: Buffer): boolean {
    const config = this.config!;
    let head = src;
    let at = start;
    const { replaceByte, replaceTable } = this.settings;
    if (replaceByte >= 0) {
      this.replaced ??= Buffer.allocUnsafe(this.settings.lineMax);
      for (let i = 0; i < length; i++) {
        const byte = src[start + i]!;
        this.replaced[i] = replaceTable[byte] ? replaceByte : byte;
      }
      head = this.replaced;
      at = 0;
    }
    let selected = SELECT_LOG;
    if (config.patterns.length > 0) {
      const memory = this.lineMemory;
      selected = selectLine(config.patterns, head, at, at + length, memory ? memory[length]! : -1);
      memory?.set(head.subarray(at, at + length));
    }
    if (selected & SELECT_STDERR) this.copyToStderr(stamp, head, at, length, truncated);
    if (!(selected & SELECT_LOG)) return false;
    if (config.udp !== undefined && this.copies.udp) {
      const parts = [stamp, this.prefix, head.subarray(at, at + length)];
      if (truncated) parts.push(ELLIPSIS);
      parts.push(NEWLINE_BYTE);
      this.copies.udp(Buffer.concat(parts), truncated);
    }
    if (config.udpOnly) return false;
    this.put(stamp, 0, stamp.length);
    this.put(this.prefix, 0, this.prefix.length);
    this.put(head, at, at + length);
    return true;
  }

  private copyToStderr(stamp: Buffer, head: Buffer, at: number, length: number, truncated: boolean): void {
    const size = stamp.length + this.prefix.length + length + (truncated ? 3 : 0) + 1;
    const stderr = this.staging.stderr;
    if (!stderr.reserve(size, this.toStderr)) {
      const parts = [stamp, this.prefix, head.subarray(at, at + length), ...(truncated ? [ELLIPSIS] : []), NEWLINE_BYTE];
      this.copies.stderr(Buffer.concat(parts));
      return;
    }
    stderr.append(stamp);
    stderr.append(this.prefix);
    stderr.append(head, at, at + length);
    if (truncated) stderr.append(ELLIPSIS);
    stderr.appendByte(NEWLINE);
  }

  private put(src: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    const output = this.staging.output;
    if (output.reserve(end - start, this.toSink)) output.append(src, start, end);
    else this.sink.write(src, start, end);
  }

  private writeNotes(): void {
    const notes = this.pendingNotes;
    this.pendingNotes = [];
    for (const bytes of notes) this.put(bytes, 0, bytes.length);
  }

  private flush(): void {
    this.staging.output.flush(this.toSink);
    this.staging.stderr.flush(this.toStderr);
  }
}
