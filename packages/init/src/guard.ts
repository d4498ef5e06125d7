// PID 1 must not die: an exception or rejection that reaches the top is printed on the console and
// survived.
import { say } from './console.js';
import { runitMessages } from './messages.js';

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

export function surviveErrors(): void {
  process.on('uncaughtException', (error) => say(runitMessages.internalError(describe(error))));
  process.on('unhandledRejection', (reason) => say(runitMessages.internalError(describe(reason))));
}
