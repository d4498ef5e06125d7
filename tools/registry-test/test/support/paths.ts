// The PATH a fresh machine has: the system directories, and node's own directory when node lives
// elsewhere (no checkout, no node_modules/.bin).
import { dirname } from 'node:path';

export const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function systemPath(...first: string[]): string {
  const nodeDir = dirname(process.execPath);
  return [...first, ...SYSTEM_DIRS, ...(SYSTEM_DIRS.includes(nodeDir) ? [] : [nodeDir])].join(':');
}
