// Tests that need root fail loudly without it (CI runs as root); they never skip.

export function requireRoot(what = 'this test'): void {
  if (process.getuid?.() !== 0) throw new Error(`${what} needs root (CI runs as root)`);
}
