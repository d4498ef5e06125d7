// supervise/stat and supervise/pid: the two text files runsv writes beside status.
import type { ServiceState } from './status.js';

export type Want = 'up' | 'down' | 'exit';

export interface StatFields {
  state: ServiceState;
  paused: boolean;
  gotTerm: boolean;
  want: Want;
}

/** `run`, `down` or `finish`, then `, paused`, `, got TERM`, and (unless down) `, want down|exit`. */
export function formatStat(fields: StatFields): string {
  let text: string = fields.state;
  if (fields.paused) text += ', paused';
  if (fields.gotTerm) text += ', got TERM';
  if (fields.state !== 'down' && fields.want !== 'up') text += `, want ${fields.want}`;
  return `${text}\n`;
}

/** The decimal pid and a newline, or an empty file when nothing runs. */
export function formatPid(pid: number): string {
  return pid === 0 ? '' : `${pid}\n`;
}
