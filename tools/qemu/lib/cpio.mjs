// Writes a Linux initramfs archive: cpio in the "newc" format, gzip-compressed, built in memory from
// a list of entries so that device nodes and root ownership need no root and no mknod on the host.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip, constants as zlibConstants } from 'node:zlib';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const TRAILER = 'TRAILER!!!';

/** A guest file tree: paths are guest-absolute ('/usr/bin/node'); parent dirs are added as needed. */
export class GuestTree {
  #entries = new Map();

  dir(path, mode = 0o755) {
    this.#parents(path);
    this.#entries.set(clean(path), { type: S_IFDIR, mode, data: Buffer.alloc(0) });
  }

  file(path, data, mode = 0o644) {
    this.#parents(path);
    this.#entries.set(clean(path), { type: S_IFREG, mode, data: Buffer.from(data) });
  }

  symlink(path, target) {
    this.#parents(path);
    this.#entries.set(clean(path), { type: S_IFLNK, mode: 0o777, data: Buffer.from(target) });
  }

  charDevice(path, major, minor, mode = 0o600) {
    this.#parents(path);
    this.#entries.set(clean(path), { type: S_IFCHR, mode, data: Buffer.alloc(0), major, minor });
  }

  has(path) {
    return this.#entries.has(clean(path));
  }

  /** Entries in path order, so that every directory comes before what it holds. */
  entries() {
    return [...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  #parents(path) {
    const parts = clean(path).split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!this.#entries.has(parent)) this.#entries.set(parent, { type: S_IFDIR, mode: 0o755, data: Buffer.alloc(0) });
    }
  }
}

// cpio names are relative ('usr/bin/node'), without a leading or trailing slash.
function clean(path) {
  const name = path.replace(/^\/+|\/+$/g, '');
  if (name === '' || name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`cpio: bad guest path ${JSON.stringify(path)}`);
  }
  return name;
}

function hex8(value) {
  return value.toString(16).padStart(8, '0');
}

function padTo4(length) {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function header(name, entry, inode) {
  const nameBytes = Buffer.from(`${name}\0`);
  const fields = [
    inode,
    entry.type | entry.mode,
    0, // uid: root
    0, // gid: root
    entry.type === S_IFDIR ? 2 : 1,
    0, // mtime: fixed, so that the same inputs give the same archive
    entry.data.length,
    0,
    0,
    entry.major ?? 0,
    entry.minor ?? 0,
    nameBytes.length,
    0,
  ];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`);
  return [head, nameBytes, padTo4(head.length + nameBytes.length)];
}

function* archiveChunks(tree) {
  let inode = 1;
  for (const [name, entry] of tree.entries()) {
    yield* header(name, entry, inode++);
    if (entry.data.length > 0) {
      yield entry.data;
      yield padTo4(entry.data.length);
    }
  }
  yield* header(TRAILER, { type: 0, mode: 0, data: Buffer.alloc(0) }, 0);
}

/** Writes the tree as a gzip-compressed newc cpio archive to `path`. */
export async function writeGzipCpio(tree, path, level = zlibConstants.Z_DEFAULT_COMPRESSION) {
  await pipeline(Readable.from(archiveChunks(tree)), createGzip({ level }), createWriteStream(path));
}
