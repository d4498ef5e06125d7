// The three supervise/ files sv touches: the `ok` probe, the 20-byte `status`, the `control` FIFO.
import { closeSync, constants, openSync, readSync, statSync, writeSync } from 'node:fs';
import { forKernel } from '@runit-ts/native';
import { decodeStatus, STATUS_SIZE, type DecodedStatus } from '@runit-ts/protocol';
import { REASON, type Reason } from './messages.js';
import { errorCode } from './service-path.js';

// djb's open_write/open_read: O_NDELAY, so a FIFO without runsv answers ENXIO instead of blocking.
const OPEN_WRITE = constants.O_WRONLY | constants.O_NONBLOCK;
const OPEN_READ = constants.O_RDONLY | constants.O_NONBLOCK;

export interface Trouble {
  kind: 'error';
  reason: Reason;
  /** Error code for runit's error text; absent when the reason says it all ("bad format"). */
  code?: string;
}

export type StatusRead = { kind: 'status'; status: DecodedStatus } | { kind: 'not-running' } | Trouble;
export type ControlWrite = { kind: 'sent' } | { kind: 'not-running' } | Trouble;

const trouble = (reason: Reason, error?: unknown): Trouble =>
  error === undefined ? { kind: 'error', reason } : { kind: 'error', reason, code: errorCode(error) };

/** Probes supervise/ok (ENXIO = no runsv), then reads supervise/status with one read of 20 bytes and decodes it. */
export function readSuperviseStatus(dir: string): StatusRead {
  try {
    closeSync(openSync(forKernel(`${dir}/supervise/ok`), OPEN_WRITE));
  } catch (error) {
    return errorCode(error) === 'ENXIO' ? { kind: 'not-running' } : trouble(REASON.openOk, error);
  }
  let fd: number;
  try {
    fd = openSync(forKernel(`${dir}/supervise/status`), OPEN_READ);
  } catch (error) {
    return trouble(REASON.openStatus, error);
  }
  const bytes = new Uint8Array(STATUS_SIZE);
  let got: number;
  try {
    got = readSync(fd, bytes, 0, STATUS_SIZE, null);
  } catch (error) {
    return trouble(REASON.readStatus, error);
  } finally {
    closeSync(fd);
  }
  return got === STATUS_SIZE ? { kind: 'status', status: decodeStatus(bytes) } : trouble(REASON.badFormat);
}

/** Writes the whole byte string to supervise/control in one write, as runsv expects. */
export function writeControl(dir: string, bytes: string): ControlWrite {
  let fd: number;
  try {
    fd = openSync(forKernel(`${dir}/supervise/control`), OPEN_WRITE);
  } catch (error) {
    return errorCode(error) === 'ENXIO' ? { kind: 'not-running' } : trouble(REASON.openControl, error);
  }
  try {
    const written = writeSync(fd, bytes);
    return written === bytes.length ? { kind: 'sent' } : trouble(REASON.writeControl);
  } catch (error) {
    return trouble(REASON.writeControl, error);
  } finally {
    closeSync(fd);
  }
}

/** Whether the dir has no `down` file (stat follows links; anything that exists counts). */
export function isNormallyUp(dir: string): { normallyUp: boolean } | { code: string } {
  try {
    return { normallyUp: statSync(forKernel(`${dir}/down`), { throwIfNoEntry: false }) === undefined };
  } catch (error) {
    return { code: errorCode(error) };
  }
}
