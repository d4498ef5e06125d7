// Writes diagnostics straight to fd 2 (never through process.stderr, which would make a shared
// descriptor non-blocking), and survives a closed or full stderr.
import { writeSync } from 'node:fs';
import { bytesOfText } from '@runit-ts/native';

export function writeStderr(text: string): void {
  if (text === '') return;
  let rest = bytesOfText(text);
  for (let attempts = 0; rest.length > 0 && attempts < 1000; attempts++) {
    try {
      rest = rest.subarray(writeSync(2, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}
