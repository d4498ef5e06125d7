// A real npm registry on 127.0.0.1: verdaccio with its own storage, serving runit-ts's packages only
// from what was published to it; every other package it fetches from its uplink (the npm registry,
// or another of these registries) and keeps.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { waitFor } from '@runit-ts/test-support';

const VERDACCIO = join(dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')), 'bin', 'verdaccio');

export interface RegistryOptions {
  /** Where the registry keeps its config, storage and log. */
  dir: string;
  /** Where packages other than runit-ts's come from. */
  uplink: string;
  /** Packages served only from this registry's storage, never from the uplink. */
  localOnly: string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(options: RegistryOptions, port: number): string {
  const local = options.localOnly.map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`);
  return `storage: ${join(options.dir, 'storage')}
auth:
  htpasswd:
    file: ${join(options.dir, 'htpasswd')}
    max_users: 10
uplinks:
  upstream:
    url: ${options.uplink}
    timeout: 60s
packages:
${local.join('')}  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
listen: 127.0.0.1:${port}
web:
  enable: false
log: { type: file, path: ${join(options.dir, 'verdaccio.log')}, level: warn }
`;
}

export class Registry {
  private child: ChildProcess | undefined;
  private exited = false;
  url = '';
  token = '';

  constructor(readonly options: RegistryOptions) {}

  async start(): Promise<void> {
    mkdirSync(this.options.dir, { recursive: true });
    const port = await freePort();
    const file = join(this.options.dir, 'config.yaml');
    writeFileSync(file, config(this.options, port));
    this.url = `http://127.0.0.1:${port}/`;
    let output = '';
    this.child = spawn(process.execPath, [VERDACCIO, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.child.on('exit', () => (this.exited = true));
    await waitFor(
      async () => {
        if (this.exited) throw new Error(`verdaccio exited at start:\n${output}`);
        return fetch(`${this.url}-/ping`).then((response) => response.ok, () => false);
      },
      `verdaccio to answer on ${this.url}`,
      60_000,
    );
    // A user of its own: verdaccio publishes for authenticated users only.
    const response = await fetch(`${this.url}-/user/org.couchdb.user:ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'ci-password' }),
    });
    if (!response.ok) throw new Error(`verdaccio refused the user: ${response.status} ${await response.text()}`);
    this.token = ((await response.json()) as { token: string }).token;
  }

  /** The .npmrc that points npm at this registry (and authenticates it to publish). */
  npmrc(): string {
    const host = this.url.replace(/^http:/, '');
    return `registry=${this.url}\n${host}:_authToken=${this.token}\n`;
  }

  async stop(): Promise<void> {
    if (!this.child || this.exited) return;
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
