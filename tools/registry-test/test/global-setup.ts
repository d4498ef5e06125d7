// Packs every package as npm pack makes it and publishes the tarballs to a registry of our own on
// 127.0.0.1 (verdaccio): registry `main` serves them (other packages through the npm registry), and
// registry `without-prebuilt` the same, but a @runit-ts/native without its prebuilt addon.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { Npm } from './support/npm.js';
import { packAll, packNativeWithoutPrebuilt } from './support/packing.js';
import { Registry } from './support/registry.js';
import { systemPath } from './support/paths.js';

export interface RegistryInfo {
  url: string;
  npmrc: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    registry: RegistryInfo;
    registryWithoutPrebuilt: RegistryInfo;
    tarballs: string[];
  }
}

const NPM_REGISTRY = 'https://registry.npmjs.org/';
const OURS = ['@runit-ts/*', 'runit-ts'];

function requireTools(): void {
  for (const tool of ['man', 'col', 'unshare', 'nsenter', 'mount', 'mkfifo', 'tar']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore', env: { PATH: systemPath() } });
    } catch {
      throw new Error(`registry test: ${tool} is not installed (.ci/run installs man-db and bsdextrautils; util-linux and coreutils have the rest)`);
    }
  }
  if (process.getuid?.() !== 0) throw new Error('registry test: needs root (global installs into namespaces, PID 1 boots)');
}

async function publish(registry: Registry, dir: string, tarballs: string[]): Promise<void> {
  const npm = new Npm(join(dir, 'npm'), registry.npmrc());
  for (const tarball of tarballs) await npm.ok(['publish', tarball], { cwd: dir });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  requireTools();
  const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
  const main = new Registry({ dir: join(dir, 'main'), uplink: NPM_REGISTRY, localOnly: OURS });
  let withoutPrebuilt: Registry | undefined;
  const teardown = async () => {
    await withoutPrebuilt?.stop();
    await main.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tarballs = packAll(join(dir, 'tarballs'));
    await main.start();
    await publish(main, dir, tarballs);
    // Everything but native comes from `main`, so both serve the very same tarballs.
    withoutPrebuilt = new Registry({ dir: join(dir, 'without-prebuilt'), uplink: main.url, localOnly: ['@runit-ts/native'] });
    await withoutPrebuilt.start();
    const native = tarballs.find((file) => file.includes('runit-ts-native-'))!;
    await publish(withoutPrebuilt, dir, [packNativeWithoutPrebuilt(native, join(dir, 'tarballs'))]);
    project.provide('registry', { url: main.url, npmrc: main.npmrc() });
    project.provide('registryWithoutPrebuilt', { url: withoutPrebuilt.url, npmrc: withoutPrebuilt.npmrc() });
    project.provide('tarballs', tarballs);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
