#!/usr/bin/env node
// Builds the guest's initramfs: a cached base archive (node, its libraries, busybox) followed by a
// small archive with our commands, the caller's tree (/etc/runit, services…) and /init. The kernel
// unpacks concatenated gzip'd cpio archives one after the other, later files over earlier ones.
//
// Usage: node tools/qemu/build-initramfs.mjs --out FILE (--init FILE | --init-link GUEST_PATH)
//                                           [--tree DIR]... [--repo DIR]
//   --init FILE        copied to the guest's /init (mode 0755), e.g. a busybox shell script
//   --init-link PATH   /init becomes a symlink to PATH in the guest, e.g. /sbin/runit-init
//   --tree DIR         copied over the guest's root (DIR/etc/runit/1 → /etc/runit/1), modes kept
//   --repo DIR         the runit-ts checkout whose packages/*/dist bundles go in (default: this one)
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GuestTree, writeGzipCpio } from './lib/cpio.mjs';
import { addBase, describeBase, sharedLibraries } from './lib/guest-base.mjs';
import { addCommands, listCommands, nativeAddon } from './lib/guest-commands.mjs';
import { qemuCacheDir } from './lib/cache.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Copies a host directory over the guest's root: files keep their mode bits, symlinks stay links. */
function addHostTree(tree, hostDir, guestDir = '') {
  for (const name of readdirSync(hostDir).sort()) {
    const hostPath = join(hostDir, name);
    const guestPath = `${guestDir}/${name}`;
    const st = lstatSync(hostPath);
    if (st.isDirectory()) {
      tree.dir(guestPath, st.mode & 0o7777);
      addHostTree(tree, hostPath, guestPath);
    } else if (st.isFile()) {
      tree.file(guestPath, readFileSync(hostPath), st.mode & 0o7777);
    } else if (st.isSymbolicLink()) {
      tree.symlink(guestPath, readlinkSync(hostPath));
    } else {
      throw new Error(`qemu: ${hostPath}: only directories, files and symlinks can go into the guest`);
    }
  }
}

/** The base archive for this host's node and busybox, built once and kept in the cache. */
async function baseArchive(node, commands, repo, cacheDir) {
  const { host: addon, holder } = nativeAddon(repo);
  const libraries = [...new Set([node, addon, holder].flatMap(sharedLibraries))];
  // Busybox must not shadow our commands; its init would be a second init lying around.
  const skipApplets = [...commands.map((c) => c.name), 'init', 'linuxrc'];
  const description = describeBase({ node, libraries, skipApplets });
  const key = createHash('sha256').update(JSON.stringify(description)).digest('hex').slice(0, 16);
  const dir = join(cacheDir, 'initramfs');
  const path = join(dir, `base-${key}.cpio.gz`);
  try {
    lstatSync(path);
    return path;
  } catch {
    // not cached yet
  }
  mkdirSync(dir, { recursive: true });
  // Only finished archives of other keys go; a concurrent build's .partial file is left alone.
  const stale = readdirSync(dir).filter((f) => f.startsWith('base-') && f.endsWith('.cpio.gz'));
  for (const old of stale) rmSync(join(dir, old), { force: true });
  const tree = new GuestTree();
  addBase(tree, { node, libraries, skipApplets });
  const partial = `${path}.${process.pid}.partial`;
  try {
    await writeGzipCpio(tree, partial);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  return path;
}

/**
 * Builds the initramfs at `out`. `init` is a host file for /init, or `initLink` a guest path /init
 * points at; `trees` are host dirs copied over the guest's root, in order.
 */
export async function buildInitramfs({ out, init, initLink, trees = [], repo = REPO, cacheDir = qemuCacheDir() }) {
  if ((init === undefined) === (initLink === undefined)) throw new Error('qemu: give exactly one of init, initLink');
  const commands = listCommands(repo);
  const base = await baseArchive(process.execPath, commands, repo, cacheDir);

  const tree = new GuestTree();
  addCommands(tree, repo, commands);
  for (const dir of trees) addHostTree(tree, resolve(dir));
  if (init !== undefined) tree.file('/init', readFileSync(init), 0o755);
  else tree.symlink('/init', initLink);

  const overlay = `${out}.overlay.${process.pid}`;
  try {
    await writeGzipCpio(tree, overlay);
    const output = createWriteStream(out);
    await pipeline(createReadStream(base), output, { end: false });
    await pipeline(createReadStream(overlay), output);
  } finally {
    rmSync(overlay, { force: true });
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      init: { type: 'string' },
      'init-link': { type: 'string' },
      tree: { type: 'string', multiple: true, default: [] },
      repo: { type: 'string', default: REPO },
    },
  });
  if (values.out === undefined || (values.init === undefined) === (values['init-link'] === undefined)) {
    process.stderr.write('usage: build-initramfs.mjs --out FILE (--init FILE | --init-link GUEST_PATH) [--tree DIR]... [--repo DIR]\n');
    process.exit(100);
  }
  const out = await buildInitramfs({
    out: values.out,
    init: values.init,
    initLink: values['init-link'],
    trees: values.tree,
    repo: values.repo,
  });
  process.stdout.write(`${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`build-initramfs: ${error.message}\n`);
    process.exit(111);
  });
}
