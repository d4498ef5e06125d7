// One look at a services directory, as runsvdir's scan sees it: every entry not starting with `.`
// that is (or links to) a directory, identified by the device and inode of its target. A name that is
// not UTF-8 keeps its bytes (textOfBytes), so that runsv gets the directory's own name.
import { opendirSync, statSync, type Dir } from 'node:fs';
import { forKernel, textOfBytes } from '@runit-ts/native';

export interface ServiceEntry {
  /** The entry's name in the services directory (runsv's argument), bytes that are not UTF-8 kept. */
  name: string;
  /** `dev:ino` of the directory it leads to: the service's identity across renames and links. */
  key: string;
}

export interface Listing {
  entries: ServiceEntry[];
  /** Entries that could not be stat'ed (dangling links, loops): runit warns and moves on. */
  unreadable: Array<{ name: string; error: NodeJS.ErrnoException }>;
}

/** Why a whole listing failed: runit's opendir(".") or readdir() failing. */
export class ListingError extends Error {
  constructor(
    readonly step: 'open' | 'read',
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`${step} failed: ${cause.message}`);
  }
}

export const identityKey = (stat: { dev: bigint; ino: bigint }): string => `${stat.dev}:${stat.ino}`;

/** Reads `dir` (an absolute, already resolved path) entry by entry, in directory order. */
export function listServices(dir: string): Listing {
  let handle: Dir;
  try {
    // Node's Dir hands out Buffer names with this encoding, though its types only allow text ones
    handle = opendirSync(forKernel(dir), { bufferSize: 128, encoding: 'buffer' as BufferEncoding });
  } catch (error) {
    throw new ListingError('open', error as NodeJS.ErrnoException);
  }
  const listing: Listing = { entries: [], unreadable: [] };
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      const name = textOfBytes(entry.name as unknown as Buffer);
      if (name.startsWith('.')) continue;
      try {
        const stat = statSync(forKernel(`${dir}/${name}`), { bigint: true });
        if (stat.isDirectory()) listing.entries.push({ name, key: identityKey(stat) });
      } catch (error) {
        listing.unreadable.push({ name, error: error as NodeJS.ErrnoException });
      }
    }
  } catch (error) {
    throw new ListingError('read', error as NodeJS.ErrnoException);
  } finally {
    handle.closeSync();
  }
  return listing;
}
