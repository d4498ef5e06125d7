// Diagnostics as data (which program says what about what, at which level, after which error) and
// the one place they are formatted: runit's text line, or a pino JSON line with RUNIT_TS_LOG_FORMAT=json.
import { writeSync } from 'node:fs';
import { bytesOfText } from '@runit-ts/native';
import { runitErrorText } from '@runit-ts/protocol';

export type DiagnosticLevel = 'warning' | 'fatal';
/** The programs whose lines the supervisor and the service host print. */
export type DiagnosticProgram = 'runsv' | 'runsvdir';

export interface Diagnostic {
  level: DiagnosticLevel;
  program: DiagnosticProgram;
  /** What the line names after the program: runsv's service dir (as given), runsvdir's services dir. */
  subject: string;
  /** The message after `<program> <subject>: <level>: `, without the error. */
  text: string;
  /** The failed call's error (an errno error or code): runit's text for it follows the message after `: `. */
  error?: unknown;
}

export type DiagnosticSink = (diagnostic: Diagnostic) => void;

export type LogFormat = 'text' | 'json';

export const logFormatFromEnv = (env: NodeJS.ProcessEnv = process.env): LogFormat =>
  env.RUNIT_TS_LOG_FORMAT === 'json' ? 'json' : 'text';

/** The message with its error: `<text>: <runit's error text>`. */
export const diagnosticText = (d: Diagnostic): string => (d.error === undefined ? d.text : `${d.text}: ${runitErrorText(d.error)}`);

/** runit's line, without the newline: `runsv <dir>: warning: <message>`. */
export const diagnosticLine = (d: Diagnostic): string => `${d.program} ${d.subject}: ${d.level}: ${diagnosticText(d)}`;

/**
 * A sink writing to `fd` with writeSync (never a stream: libuv would make an fd that services share
 * non-blocking). A write that fails (EAGAIN on runsvdir's non-blocking log pipe, EPIPE) is dropped,
 * as runit's unchecked write drops it.
 */
export function createDiagnostics(fd = 2, format: LogFormat = logFormatFromEnv()): DiagnosticSink {
  return format === 'json' ? jsonSink(fd) : textSink(fd);
}

function textSink(fd: number): DiagnosticSink {
  return (d) => {
    try {
      writeSync(fd, bytesOfText(`${diagnosticLine(d)}\n`));
    } catch {
      // dropped, as runit drops it
    }
  };
}

type PinoLogger = { warn(obj: object, msg: string): void; fatal(obj: object, msg: string): void };

/** The field that names the subject in a JSON line: `service` for runsv, `svdir` for runsvdir. */
const SUBJECT_FIELD: Record<DiagnosticProgram, string> = { runsv: 'service', runsvdir: 'svdir' };

function jsonFields(d: Diagnostic): object {
  const code = (d.error as NodeJS.ErrnoException | undefined)?.code ?? (typeof d.error === 'string' ? d.error : undefined);
  const fields = { program: d.program, [SUBJECT_FIELD[d.program]]: d.subject };
  return typeof code === 'string' ? { ...fields, code } : fields;
}

/**
 * A sink of pino JSON lines on fd. pino costs megabytes once loaded, so it is loaded only when JSON
 * lines are asked for; lines that come before it is ready wait in a short queue, and if it cannot
 * be loaded they are written as text.
 */
function jsonSink(fd: number): DiagnosticSink {
  const fallback = textSink(fd);
  let logger: PinoLogger | undefined;
  let queue: Diagnostic[] | undefined = [];
  const emit = (d: Diagnostic, to: PinoLogger): void => {
    try {
      if (d.level === 'fatal') to.fatal(jsonFields(d), diagnosticText(d));
      else to.warn(jsonFields(d), diagnosticText(d));
    } catch {
      // dropped
    }
  };
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
