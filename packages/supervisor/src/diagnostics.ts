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

// pino costs megabytes once loaded, so it is loaded only when JSON lines are asked for; lines
// that arrive before it is ready wait in a short queue.
function jsonSink(fd: number): DiagnosticSink {
  let logger: PinoLogger | undefined;
  let queue: Diagnostic[] | undefined = [];
  const emit = (d: Diagnostic, to: PinoLogger): void => {
    try {
      const fields = { program: 'runsv', service: d.service };
      if (d.level === 'fatal') to.fatal(fields, d.text);
      else to.warn(fields, d.text);
    } catch {
      // dropped
    }
  };
  const fallback = textSink(fd);
  import('pino').then(
    ({ default: pino }) => {
      logger = pino({ base: null }, pino.destination({ fd, sync: true }));
      for (const d of queue ?? []) emit(d, logger);
      queue = undefined;
    },
    () => {
      for (const d of queue ?? []) fallback(d);
      queue = undefined;
    },
  );
  return (d) => {
    if (logger) emit(d, logger);
    else if (!queue) fallback(d);
    else if (queue.length < 1000) queue.push(d); // bounded: pino loads within a tick or two
  };
}
