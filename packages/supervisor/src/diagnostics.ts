// Where runsv's warnings and fatal lines go: runit's one-line text by default, pino JSON lines when
// RUNIT_TS_LOG_FORMAT=json. The only module that writes diagnostics; nothing here may throw.
import { writeSync } from 'node:fs';
import { diagnosticLine } from './messages.js';

export type DiagnosticLevel = 'warning' | 'fatal';

export interface Diagnostic {
  level: DiagnosticLevel;
  /** The service as runsv names it in its messages (runsv's argument). */
  service: string;
  /** The message after `runsv <service>: <level>: `. */
  text: string;
}

export type DiagnosticSink = (diagnostic: Diagnostic) => void;

export type LogFormat = 'text' | 'json';

export const logFormatFromEnv = (env: NodeJS.ProcessEnv = process.env): LogFormat =>
  env.RUNIT_TS_LOG_FORMAT === 'json' ? 'json' : 'text';

/**
 * A sink writing to `fd` with writeSync (never a stream: libuv would make an fd that services share
 * non-blocking). A write that fails (EAGAIN on runsvdir's non-blocking log pipe, EPIPE) is dropped,
 * as runit's unchecked write drops it.
 */
export function createDiagnostics(fd = 2, format: LogFormat = logFormatFromEnv()): DiagnosticSink {
  return format === 'json' ? jsonSink(fd) : textSink(fd);
}

function textSink(fd: number): DiagnosticSink {
  return ({ level, service, text }) => {
    try {
      writeSync(fd, `${diagnosticLine(service, level, text)}\n`);
    } catch {
      // dropped, as runit drops it
    }
  };
}

type PinoLogger = { warn(obj: object, msg: string): void; fatal(obj: object, msg: string): void };

/** One JSON line: its level, the fields beside the message, and the message. */
export interface JsonRecord {
  level: DiagnosticLevel;
  fields: object;
  msg: string;
}

/**
 * A sink of pino JSON lines on fd. pino costs megabytes once loaded, so it is loaded only when JSON
 * lines are asked for; items that arrive before it is ready wait in a short queue, and if it cannot
 * be loaded they go to `fallback`.
 */
export function lazyJsonSink<T>(fd: number, toRecord: (item: T) => JsonRecord, fallback: (item: T) => void): (item: T) => void {
  let logger: PinoLogger | undefined;
  let queue: T[] | undefined = [];
  const emit = (item: T, to: PinoLogger): void => {
    try {
      const { level, fields, msg } = toRecord(item);
      if (level === 'fatal') to.fatal(fields, msg);
      else to.warn(fields, msg);
    } catch {
      // dropped
    }
  };
  import('pino').then(
    ({ default: pino }) => {
      logger = pino({ base: null }, pino.destination({ fd, sync: true }));
      for (const item of queue ?? []) emit(item, logger);
      queue = undefined;
    },
    () => {
      for (const item of queue ?? []) fallback(item);
      queue = undefined;
    },
  );
  return (item) => {
    if (logger) emit(item, logger);
    else if (!queue) fallback(item);
    else if (queue.length < 1000) queue.push(item); // bounded: pino loads within a tick or two
  };
}

function jsonSink(fd: number): DiagnosticSink {
  return lazyJsonSink<Diagnostic>(
    fd,
    (d) => ({ level: d.level, fields: { program: 'runsv', service: d.service }, msg: d.text }),
    textSink(fd),
  );
}
