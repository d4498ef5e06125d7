// Service directories for tests: one-behaviour run/finish/log/control scripts, and readers for the
// files runsv writes. No processes here, so both reaper and child_process tests can use it.
import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStatus, type DecodedStatus } from '@runit-ts/protocol';

export interface ServiceSpec {
  /** Body of ./run (after `#!/bin/sh`); null leaves run missing. */
  run?: string | null;
  finish?: string;
  /** Body of log/run; log/ is then a directory. */
  log?: string;
  down?: boolean;
  logDown?: boolean;
  /** control/<letter> handlers: letter → body. */
  control?: Record<string, string>;
}

/** Writes an executable `#!/bin/sh` script. */
export function script(path: string | Buffer, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** Creates root/name as a service dir and returns its path. */
export function makeService(root: string, name: string, spec: ServiceSpec): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (spec.run !== null) script(join(dir, 'run'), spec.run ?? 'exec sleep 1000');
  if (spec.finish !== undefined) script(join(dir, 'finish'), spec.finish);
  if (spec.down) writeFileSync(join(dir, 'down'), '');
  if (spec.log !== undefined) {
    mkdirSync(join(dir, 'log'), { recursive: true });
    script(join(dir, 'log', 'run'), spec.log);
    if (spec.logDown) writeFileSync(join(dir, 'log', 'down'), '');
  }
  if (spec.control) {
    mkdirSync(join(dir, 'control'), { recursive: true });
    for (const [letter, body] of Object.entries(spec.control)) script(join(dir, 'control', letter), body);
  }
  return dir;
}

/** Writes bytes to a service's control FIFO as sv does: O_WRONLY|O_NONBLOCK, one write. */
export function send(dir: string, bytes: string, log = false): void {
  const fd = openSync(join(dir, log ? 'log/supervise/control' : 'supervise/control'), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** supervise/stat (or log/supervise/stat) without its newline, or undefined when not there. */
export function readStat(dir: string, log = false): string | undefined {
  const path = join(dir, log ? 'log/supervise/stat' : 'supervise/stat');
  return existsSync(path) ? readFileSync(path, 'utf8').replace(/\n$/, '') : undefined;
}

export function readPid(dir: string, log = false): number {
  const text = readFileSync(join(dir, log ? 'log/supervise/pid' : 'supervise/pid'), 'utf8');
  return text === '' ? 0 : Number(text);
}

export function readStatus(dir: string, log = false): DecodedStatus {
  return decodeStatus(readFileSync(join(dir, log ? 'log/supervise/status' : 'supervise/status')));
}

/** Lines of a text file (empty when missing). */
export function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * A run script that records each of the six signal bytes' signals in `file` and keeps running;
 * `<file>.ready` appears once the traps are set (a signal sent earlier would end the shell).
 */
export const trapsSignals = (file: string): string =>
  ['HUP', 'ALRM', 'INT', 'QUIT', 'USR1', 'USR2'].map((sig) => `trap 'echo ${sig} >>${file}' ${sig}`).join('\n') +
  `\ntouch ${file}.ready\nwhile :; do sleep 0.05 & wait $!; done`;

/** A run script that ignores SIGTERM (as does the program it execs); `ready` appears once it does. */
export const ignoresTerm = (ready: string): string => `trap '' TERM\ntouch ${ready}\nexec sleep 1000`;
