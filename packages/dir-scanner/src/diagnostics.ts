// Where runsvdir's own warnings go: runit's lines on stderr, into the process-title log when there is
// one, or pino JSON lines on stderr when RUNIT_TS_LOG_FORMAT=json (as runsv does).
import { writeSync } from 'node:fs';
import { lazyJsonSink } from '@runit-ts/supervisor';

export type Report = (line: string) => void;

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

// The same lazily loaded pino sink as runsv's, with runsvdir's fields.
function jsonReporter(svdir: string, fd: number, fallback: Report): Report {
  const prefix = `runsvdir ${svdir}: `;
  return lazyJsonSink<string>(
    fd,
    (line) => {
      const rest = line.startsWith(prefix) ? line.slice(prefix.length) : line;
      return {
        level: rest.startsWith('fatal: ') ? 'fatal' : 'warning',
        fields: { program: 'runsvdir', svdir },
        msg: rest.replace(/^(warning|fatal): /, '').replace(/\n$/, ''),
      };
    },
    fallback,
  );
}
