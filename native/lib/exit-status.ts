// Decodes a raw wait status (as waitpid fills it) into its parts.

export interface ExitStatus {
  pid: number;
  /** The raw wait status, as runit passes it on (e.g. to ./finish as `status & 0xff`). */
  status: number;
  /** Exit code when the process exited normally, else null. */
  code: number | null;
  /** Terminating signal number when killed by a signal, else null. */
  signal: number | null;
  core: boolean;
}

export function decodeWaitStatus(pid: number, status: number): ExitStatus {
  const termsig = status & 0x7f;
  if (termsig === 0) return { pid, status, code: (status >> 8) & 0xff, signal: null, core: false };
  return { pid, status, code: null, signal: termsig, core: (status & 0x80) !== 0 };
}

/** The status a child would have had if it had called exit(code) itself. */
export function exitedWith(pid: number, code: number): ExitStatus {
  return decodeWaitStatus(pid, (code & 0xff) << 8);
}
