// Running our svlogd and the reference one as real processes, and reading log dirs back.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceBinary, waitFor, type Cleanup } from '@runit-ts/test-support';

/** Our svlogd: the committed launcher, which loads the bundle the build made. */
export const OURS = fileURLToPath(new URL('../bin/svlogd', import.meta.url));
export const reference = (): string => referenceBinary('svlogd');

export function ourCommand(): string {
  if (!existsSync(fileURLToPath(new URL('../dist/svlogd.cjs', import.meta.url)))) {
    throw new Error('packages/logger/dist/svlogd.cjs is missing: build the package first (nx run @runit-ts/logger:build)');
  }
  return OURS;
}

export interface Implementation {
  name: 'ours' | 'reference';
  command: () => string;
}
export const IMPLEMENTATIONS: Implementation[] = [
  { name: 'ours', command: ourCommand },
  { name: 'reference', command: reference },
];

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** A running svlogd with its stdin open; it is killed at cleanup if still running. */
export class RunningSvlogd {
  readonly child: ChildProcess;
  private err = '';
  readonly exited: Promise<Finished>;

  /** `stdin`: an fd to give as standard input instead of a pipe from this process. */
  constructor(command: string, args: string[], cleanup: Cleanup, options: { cwd?: string; stdin?: number } = {}) {
    this.child = spawn(command, args, { stdio: [options.stdin ?? 'pipe', 'ignore', 'pipe'], cwd: options.cwd });
    cleanup.killLater(this.child.pid!);
    this.child.stderr!.on('data', (chunk: Buffer) => (this.err += chunk.toString('latin1')));
    this.child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        // stderr may still hold data after exit: wait for it to close.
        if (this.child.stderr!.readableEnded) resolve({ code, signal, stderr: this.err });
        else this.child.stderr!.on('close', () => resolve({ code, signal, stderr: this.err }));
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get stderr(): string {
    return this.err;
  }

  write(data: string | Buffer): boolean {
    return this.child.stdin!.write(data);
  }

  end(data?: string | Buffer): Promise<Finished> {
    this.child.stdin!.end(data);
    return this.exited;
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  waitForStderr(pattern: RegExp | string, what = `stderr matching ${String(pattern)}`, timeoutMs = 15_000): Promise<string> {
    return waitFor(() => (typeof pattern === 'string' ? this.err.includes(pattern) : pattern.test(this.err)) && this.err, what, timeoutMs);
  }
}

/** Runs svlogd over `input` (written through a pipe) and waits for it to exit. */
export function runSvlogd(command: string, args: string[], input: Buffer | string, cleanup: Cleanup): Promise<Finished> {
  return new RunningSvlogd(command, args, cleanup).end(input);
}

export function makeLogDir(parent: string, name: string, config?: string | Buffer): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, 'config'), config);
  return dir;
}

export interface LogDirContents {
  current: Buffer;
  /** Old files (`@…`) in name order. */
  old: string[];
  /** Their types, in name order: 's', 'u', 't'. */
  types: string[];
  /** Every old file then current, concatenated in name order. */
  all: Buffer;
}

export function readLogDir(dir: string): LogDirContents {
  const old = readdirSync(dir).filter((name) => name.startsWith('@')).sort();
  const currentPath = join(dir, 'current');
  const current = existsSync(currentPath) ? readFileSync(currentPath) : Buffer.alloc(0);
  return {
    current,
    old,
    types: old.map((name) => name.slice(26)),
    all: Buffer.concat([...old.map((name) => readFileSync(join(dir, name))), current]),
  };
}

export const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** Lines of a log (without their `\n`), as latin1 text so that any byte survives. */
export function linesOf(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Deterministic pseudo-random bytes (a small LCG), so failures can be replayed. */
export function randomBytes(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state >>> 24;
  };
}

/** Lines of random lengths and random bytes (every byte but `\n`), each ending in `\n`. */
export function randomInput(seed: number, lines: number, maxLength: number): Buffer {
  const next = randomBytes(seed);
  const parts: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    const length = ((next() << 8) | next()) % (maxLength + 1);
    const line = Buffer.allocUnsafe(length + 1);
    for (let j = 0; j < length; j++) {
      let byte = next();
      if (byte === 10) byte = 0;
      line[j] = byte;
    }
    line[length] = 10;
    parts.push(line);
  }
  return Buffer.concat(parts);
}

/** `count` numbered lines of `width` bytes each (with the `\n`): "000042 xxxx…". */
export function numberedLines(count: number, width = 100, from = 0): Buffer {
  const out = Buffer.alloc(count * width, 0x78);
  for (let i = 0; i < count; i++) {
    out.write(String(from + i).padStart(9, '0'), i * width, 'latin1');
    out[i * width + 9] = 0x20;
    out[i * width + width - 1] = 10;
  }
  return out;
}
