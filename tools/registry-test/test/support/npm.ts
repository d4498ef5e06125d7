// npm as a user on a fresh machine runs it: pointed at one registry, with an empty cache and config
// of its own (nothing from this machine's ~/.npmrc), the output kept for the report.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NpmResult {
  code: number | null;
  output: string;
  seconds: number;
}

export class Npm {
  readonly env: NodeJS.ProcessEnv;

  /** `dir` holds this npm's config and cache; `npmrc` is the registry's (see Registry.npmrc). */
  constructor(dir: string, npmrc: string) {
    mkdirSync(dir, { recursive: true });
    const userconfig = join(dir, 'npmrc');
    writeFileSync(userconfig, npmrc);
    this.env = {
      PATH: process.env.PATH,
      HOME: dir,
      npm_config_userconfig: userconfig,
      npm_config_cache: join(dir, 'cache'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    };
  }

  /** Runs `npm args` in cwd; resolves with its exit code and combined output. */
  run(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<NpmResult> {
    const start = performance.now();
    const child = spawn('npm', args, { cwd: options.cwd, env: { ...this.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => {
      child.on('close', (code) => resolve({ code, output, seconds: (performance.now() - start) / 1000 }));
    });
  }

  /** As run(), but throws with npm's output unless it exited 0. */
  async ok(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<NpmResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`npm ${args.join(' ')} exited ${result.code}:\n${result.output}`);
    return result;
  }
}
