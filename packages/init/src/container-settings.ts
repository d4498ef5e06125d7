// Container mode's switch and settings: on when /etc/runit/container exists and PID 1 is in a PID
// namespace; the file's lines `grace=SECONDS` and `main=SERVICE_DIR` set the stop's grace and the
// main service. Read once, at boot.
import { readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { exists } from './files.js';

/** Default grace: well under Docker's 10 s stop timeout and Kubernetes' 30 s grace period. */
export const DEFAULT_GRACE_MS = 5000;

/** /proc/self/ns/pid of the initial PID namespace: PROC_PID_INIT_INO, fixed since Linux 3.8. */
const ROOT_PID_NAMESPACE = 'pid:[4026531836]';

export interface ContainerSettings {
  /** From the start of the stop to the KILL of whatever is left. */
  graceMs: number;
  /** The main service's directory (absolute), whose end ends the container. */
  main: string | undefined;
}

export interface ParsedSettings {
  settings: ContainerSettings;
  /** Lines that were not understood (each reported on the console, then ignored). */
  ignored: string[];
}

const SECONDS = /^\d+(\.\d+)?$/;

/** Parses the file's text: `key=value` lines, blank lines and `#` comments; later lines win. */
export function parseContainerSettings(text: string): ParsedSettings {
  const settings: ContainerSettings = { graceMs: DEFAULT_GRACE_MS, main: undefined };
  const ignored: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (key === 'grace' && SECONDS.test(value) && Number.isFinite(Number(value))) settings.graceMs = Math.round(Number(value) * 1000);
    else if (key === 'main' && isAbsolute(value)) settings.main = value;
    else ignored.push(line);
  }
  return { settings, ignored };
}

/** True only when /proc says this process is in a PID namespace other than the host's. */
export function inPidNamespace(readLink: (path: string) => string = readlinkSync): boolean {
  try {
    return readLink('/proc/self/ns/pid') !== ROOT_PID_NAMESPACE;
  } catch {
    return false;
  }
}

export type ContainerMode = { kind: 'off' } | { kind: 'refused' } | ({ kind: 'on' } & ParsedSettings);

/**
 * Whether container mode is on. It is refused outside a PID namespace: there, PID 1 is the machine's
 * init, and its exit would be a kernel panic.
 */
export function readContainerMode(file: string): ContainerMode {
  if (!exists(file)) return { kind: 'off' };
  if (!inPidNamespace()) return { kind: 'refused' };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // a file that cannot be read (a directory, say) turns the mode on with its defaults
  }
  return { kind: 'on', ...parseContainerSettings(text) };
}
