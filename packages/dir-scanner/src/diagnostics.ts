// Where runsvdir's own warnings go: into the process-title log as runit's lines when there is one,
// else through the supervisor's sink on stderr (runit's lines, or JSON lines with RUNIT_TS_LOG_FORMAT=json).
import { writeSync } from 'node:fs';
import { bytesOfText } from '@runit-ts/native';
import { createDiagnostics, diagnosticLine, logFormatFromEnv, type DiagnosticSink } from '@runit-ts/supervisor';

export type Report = (line: string) => void;

/** Writes a line to fd, dropping it when that fails (EAGAIN, EPIPE), as runit's unchecked write does. */
export const fdWriter =
  (fd: number): Report =>
  (line) => {
    try {
      writeSync(fd, bytesOfText(line));
    } catch {
      // dropped
    }
  };

export interface ReporterOptions {
  /** The process-title log's writer: it gets runit's text lines whatever the format. */
  window?: Report;
  env?: NodeJS.ProcessEnv;
  fd?: number;
}

export function createReporter({ window, env = process.env, fd = 2 }: ReporterOptions): DiagnosticSink {
  if (window) return (d) => window(`${diagnosticLine(d)}\n`);
  return createDiagnostics(fd, logFormatFromEnv(env));
}
