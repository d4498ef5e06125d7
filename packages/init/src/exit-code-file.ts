// Container mode's exit-code file: a service (its ./finish) or stage 3 writes the code the container
// is to end with; PID 1 clears a leftover at boot and reads the file as it exits.
import { closeSync, mkdirSync, openSync, readSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';

export const EXIT_CODE_FILE = '/run/runit/container-exit-code';

/** A code is at most three digits and some white space: a longer file is no code (and is not read on). */
const READ_LIMIT = 64;

const CODE = /^\s*(\d{1,3})\s*$/;

/** The code in the file's text: decimal, 0 to 255, white space around it allowed. */
export function parseExitCode(text: string): number | undefined {
  const match = CODE.exec(text);
  if (!match) return undefined;
  const code = Number(match[1]);
  return code <= 255 ? code : undefined;
}

/** Makes the file's directory, for the writers, and removes a code left by the container's previous run. */
export function prepareExitCodeFile(path: string = EXIT_CODE_FILE): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  } catch {
    // a read-only /run: nobody can write a code, the container ends with its own
  }
  try {
    unlinkSync(path);
  } catch {
    // none left over
  }
}

export type RecordedCode = { kind: 'none' } | { kind: 'invalid' } | { kind: 'code'; code: number };

export function readExitCodeFile(path: string = EXIT_CODE_FILE): RecordedCode {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { kind: 'none' };
  }
  try {
    const buffer = Buffer.alloc(READ_LIMIT + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const code = length > READ_LIMIT ? undefined : parseExitCode(buffer.toString('utf8', 0, length));
    return code === undefined ? { kind: 'invalid' } : { kind: 'code', code };
  } catch {
    return { kind: 'invalid' };
  } finally {
    closeSync(fd);
  }
}
