// What a test runs as an unprivileged user (nobody) must be reachable by that user, and a checkout in a
// directory only root may enter (/root, a `mktemp -d`) is not: these helpers copy what such a test
// runs into a world-readable temp dir, removed at cleanup, and find a node that user may run.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Cleanup } from './cleanup.js';

/** nobody's uid, and its group's gid on Debian (nogroup). */
export const NOBODY = 65534;

/** True when the user uid (with gid = uid) may run path (`test -x` as that user: the kernel decides). */
export function runnableBy(uid: number, path: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', path], { uid, gid: uid, stdio: 'ignore' }).status === 0;
}

/** Directories 0755, files 0755 when someone may execute them and 0644 otherwise. */
function openUp(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
  } else {
    chmodSync(path, stat.mode & 0o111 ? 0o755 : 0o644);
  }
}

/** A fresh temp dir, removed at cleanup, to be filled and then opened up by openedForNobody(). */
function newCopyDir(cleanup: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'runit-ts-for-nobody-'));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** dir with everything in it world-readable; throws, with one line saying why, if nobody cannot reach it. */
function openedForNobody(dir: string): string {
  openUp(dir);
  if (!runnableBy(NOBODY, dir)) {
    throw new Error(`${dir} (a copy for the user nobody) is not reachable by nobody: set TMPDIR to a directory every user may enter`);
  }
  return dir;
}

/**
 * Copies `entries` (files or directories, given relative to `from`, kept at the same relative paths)
 * into a fresh temp dir that every user may enter and read, removed at cleanup; returns that dir.
 * Throws, with one line saying why, when nobody still cannot reach it (TMPDIR in a private place).
 */
export function copyForNobody(cleanup: Cleanup, from: string, entries: readonly string[]): string {
  const dir = newCopyDir(cleanup);
  for (const entry of entries) cpSync(join(from, entry), join(dir, entry), { recursive: true });
  return openedForNobody(dir);
}

/**
 * A directory holding a `node` that nobody may run, for the PATH of our launchers (they run the node
 * found on PATH): node's own directory when nobody can reach it, else a copy of node.
 */
export function nodeDirForNobody(cleanup: Cleanup): string {
  if (runnableBy(NOBODY, process.execPath)) return dirname(process.execPath);
  const name = basename(process.execPath);
  const dir = copyForNobody(cleanup, dirname(process.execPath), [name]);
  if (name !== 'node') renameSync(join(dir, name), join(dir, 'node'));
  return dir;
}

/** The parts of @runit-ts/native a command needs at run time: its package.json and the built addon. */
function isAddonPart(relativePath: string): boolean {
  if (['', 'package.json', 'prebuilds', 'build', join('build', 'Release')].includes(relativePath)) return true;
  if (relativePath.startsWith(`prebuilds${sep}`)) return true;
  return relativePath.startsWith(join('build', 'Release') + sep) && relativePath.endsWith('.node');
}

/**
 * `command` copied where nobody can run it. For one of our launchers (PACKAGE/bin/NAME, which runs
 * PACKAGE/dist/NAME.cjs, which loads the addon of the @runit-ts/native that PACKAGE resolves): the
 * package's bin/, dist/ and package.json, with that addon in its node_modules. Otherwise the file alone.
 */
export function commandForNobody(cleanup: Cleanup, command: string): string {
  const name = basename(command);
  const pkg = dirname(dirname(command));
  if (basename(dirname(command)) !== 'bin' || !existsSync(join(pkg, 'dist'))) {
    return join(copyForNobody(cleanup, dirname(command), [name]), name);
  }
  const dir = newCopyDir(cleanup);
  for (const entry of ['bin', 'dist', 'package.json']) cpSync(join(pkg, entry), join(dir, entry), { recursive: true });
  const native = dirname(createRequire(join(pkg, 'package.json')).resolve('@runit-ts/native/package.json'));
  cpSync(native, join(dir, 'node_modules', '@runit-ts', 'native'), { recursive: true, filter: (source) => isAddonPart(relative(native, source)) });
  return join(openedForNobody(dir), 'bin', name);
}
