// How a chpst or utmpset run ends when it does not exec: text for stderr and an exit code.
import { EXIT_FATAL } from './exit.js';
import { writeStderr } from './stderr.js';

export class Exit extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(text.trimEnd());
  }
}

/** Prints what ended the run and returns its exit code; anything but an Exit is an internal error. */
export function reportEnd(error: unknown, internalText: (error: unknown) => string): number {
  if (error instanceof Exit) {
    writeStderr(error.text);
    return error.code;
  }
  writeStderr(internalText(error));
  return EXIT_FATAL;
}
