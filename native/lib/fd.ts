// Pipes, FIFOs and fd flags.
import { binding } from './load.js';

/** pipe2(O_CLOEXEC): [readEnd, writeEnd]. Both ends stay out of spawned children unless mapped. */
export function pipe(): [number, number] {
  return binding.pipe();
}

export function mkfifo(path: string, mode = 0o600): void {
  binding.mkfifo(path, mode);
}

/** A close-on-exec duplicate of fd, numbered 3 or above. */
export function dup(fd: number): number {
  return binding.dup(fd);
}

/** dup2(2): `to` refers to `from`'s open file and is inherited across exec. */
export function dup2(from: number, to: number): void {
  binding.dup2(from, to);
}

export function isNonBlocking(fd: number): boolean {
  return binding.nonBlock(fd);
}

export function setNonBlocking(fd: number, on: boolean): void {
  binding.nonBlock(fd, on);
}

export function isCloseOnExec(fd: number): boolean {
  return binding.cloexec(fd);
}

export function setCloseOnExec(fd: number, on: boolean): void {
  binding.cloexec(fd, on);
}
