// Best-effort clean-up: a step that fails (an fd already closed, a temp file already gone) must not
// stop the steps after it, and there is nothing to report.

export function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // nothing more to release there
  }
}
