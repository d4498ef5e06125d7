// Pipes, FIFOs, fd flags, and O_PATH.
import { binding } from './load.js';
import { forKernel } from './raw-text.js';

/** open(2)'s O_PATH: an fd for path resolution only (through /proc/self/fd), like a cwd. Node lacks it. */
export const O_PATH = binding.O_PATH;

/** pipe2(O_CLOEXEC): [readEnd, writeEnd]. Both ends stay out of spawned children unless mapped. */
export function pipe(): [number, number] {
  return binding.pipe();
}

export function mkfifo(path: string | Buffer, mode = 0o600): void {
  binding.mkfifo(forKernel(path), mode);
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

export function setCloseOnExec(fd: number, on: boolean): void {
  binding.cloexec(fd, on);
}
