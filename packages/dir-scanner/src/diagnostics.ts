// Where runsvdir's own warnings go: runit's lines on stderr, into the process-title log when there is
// one, or pino JSON lines on stderr when RUNIT_TS_LOG_FORMAT=json (as runsv does).
import { writeSync } from 'node:fs';

export type Report = (line: string) => void;

type PinoLogger = { warn(obj: object, msg: string): void; fatal(obj: object, msg: string): void };

/** Writes a line to fd, dropping it when that fails (EAGAIN, EPIPE), as runit's unchecked write does. */
export const fdWriter =
  (fd: number): Report =>
  (line) => {
    try {
      writeSync(fd, line);
    } catch {
      // dropped
    }
  };

export interface ReporterOptions {
  svdir: string;
  /** The process-title log's writer: it gets runit's text lines whatever the format. */
  window?: Report;
  env?: NodeJS.ProcessEnv;
  fd?: number;
}

export function createReporter({ svdir, window, env = process.env, fd = 2 }: ReporterOptions): Report {
  if (window) return window;
  const text = fdWriter(fd);
  if (env.RUNIT_TS_LOG_FORMAT !== 'json') return text;
  return jsonReporter(svdir, fd, text);
}

// pino is loaded only when JSON lines are asked for; lines that come before it is ready wait briefly.
function jsonReporter(svdir: string, fd: number, fallback: Report): Report {
  const prefix = `runsvdir ${svdir}: `;
  let logger: PinoLogger | undefined;
  let queue: string[] | undefined = [];
  const emit = (line: string, to: PinoLogger): void => {
    const rest = line.startsWith(prefix) ? line.slice(prefix.length) : line;
    const fatal = rest.startsWith('fatal: ');
    const msg = rest.replace(/^(warning|fatal): /, '').replace(/\n$/, '');
    try {
      const fields = { program: 'runsvdir', svdir };
      if (fatal) to.fatal(fields, msg);
      else to.warn(fields, msg);
    } catch {
      // dropped
    }
  };
  import('pino').then(
    ({ default: pino }) => {
      logger = pino({ base: null }, pino.destination({ fd, sync: true }));
      for (const line of queue ?? []) emit(line, logger);
      queue = undefined;
    },
    () => {
      for (const line of queue ?? []) fallback(line);
      queue = undefined;
    },
  );
  return (line) => {
    if (logger) emit(line, logger);
    else if (queue) queue.length < 1000 && queue.push(line);
    else fallback(line);
  };
}
