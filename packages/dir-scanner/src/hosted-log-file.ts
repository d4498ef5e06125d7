// The `hosted-log` file of a service directory (docs/hosted-logs.md): its name and what its first line
// says. No I/O and no addon, so that runsvdir's HTTP endpoint can find a hosted log's dirs too.
import type { LoggerOptions } from '@runit-ts/logger';
import { parseSvlogdArguments, problemText } from '@runit-ts/logger/command-line';

/** The opt-in file in the service directory. */
export const HOSTED_LOG_FILE = 'hosted-log';

export interface HostedLogPlan {
  options: LoggerOptions;
  /** Log dirs, relative to the service directory unless absolute. */
  dirs: string[];
}

/**
 * The file's first line: svlogd's own arguments, as they would follow `svlogd` in a log/run
 * (`[-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...`), split at spaces and tabs. Parsed by
 * svlogd's parser; a refusal comes back as the few words a warning gives.
 */
export function parseHostedLog(text: string): HostedLogPlan | string {
  const words = (text.split('\n')[0] ?? '').split(/[ \t]+/).filter(Boolean);
  const parsed = parseSvlogdArguments(words);
  if (!parsed.ok) return problemText(parsed.problem);
  return { options: parsed.invocation.options, dirs: parsed.invocation.dirs };
}
