// The start-up module every runit-ts program imports first: Node's signal changes undone (SIGUSR1
// would open a debugger), and a SIGUSR1 that reached Node's own handler before the reset still ends
// the process by SIGUSR1. Runs real node processes; the answers come from /proc and wait statuses.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withNodeVariables } from '../lib/spawn.js';

const dist = (file: string) => JSON.stringify(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)));
const SIGNAL_MASK = /^Sig(Ign|Cgt):\s*([0-9a-f]+)$/gm;

/** The signals set in a /proc status mask. */
function signalsIn(hex: string): number[] {
  const mask = BigInt(`0x${hex}`);
  return Array.from({ length: 64 }, (_, i) => i + 1).filter((sig) => (mask >> BigInt(sig - 1)) & 1n);
}

function runModule(script: string, timeout = 20_000) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout });
}

describe('start-up', () => {
  it('leaves no signal ignored and none caught but SIGSEGV and glibc\'s own (32, 33)', () => {
    const result = runModule(`import ${dist('start-up.js')};
      import { readFileSync } from 'node:fs';
      process.stdout.write(readFileSync('/proc/self/status', 'utf8'));`);
    expect(result.status).toBe(0);
    const masks = Object.fromEntries([...result.stdout.matchAll(SIGNAL_MASK)].map((m) => [m[1], signalsIn(m[2]!)]));
    expect(masks.Ign).toEqual([]);
    expect(masks.Cgt!.filter((sig) => ![11, 32, 33].includes(sig))).toEqual([]);
  });

  it('a SIGUSR1 after start-up ends the process by SIGUSR1, with no debugger', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import ${dist('start-up.js')};
      process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGUSR1');
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGUSR1');
    expect(stderr).toBe('');
  });

  it('a SIGUSR1 that reached Node\'s inspector handler before start-up still ends the process by SIGUSR1', () => {
    // The signal is sent, and handled by Node (which then starts its inspector), before the module runs.
    const result = runModule(`process.kill(process.pid, 'SIGUSR1');
      await import(${dist('start-up.js')});
      setInterval(() => {}, 1000);`);
    expect(result.signal).toBe('SIGUSR1');
  });
});

describe('NODE_* variables', () => {
  const saved = 'RUNIT_TS_SAVED_NODE_OPTIONS=--inspect';
  it('are given back in their place, other entries kept byte for byte', () => {
    const other = 'LANG=caf\u00e9\ufffd';
    expect(withNodeVariables(['A=1', saved, other], 'given-back')).toEqual(['A=1', 'NODE_OPTIONS=--inspect', other]);
  });
  it('are given back and set aside with the bytes of an entry that is not UTF-8', () => {
    const value = Buffer.from([0x2d, 0xff]);
    const savedBytes = Buffer.concat([Buffer.from('RUNIT_TS_SAVED_NODE_OPTIONS='), value]);
    const plainBytes = Buffer.concat([Buffer.from('NODE_OPTIONS='), value]);
    expect(withNodeVariables(['A=1', savedBytes], 'given-back')).toEqual(['A=1', plainBytes]);
    expect(withNodeVariables([plainBytes, 'B=2'], 'set-aside')).toEqual([savedBytes, 'B=2']);
  });
  it('a NODE_* variable set since the launcher wins over the saved one', () => {
    expect(withNodeVariables([saved, 'NODE_OPTIONS=--max-old-space-size=64'], 'given-back')).toEqual(['NODE_OPTIONS=--max-old-space-size=64']);
  });
  it('are set aside for our own Node daemons, an older saved one dropped', () => {
    expect(withNodeVariables(['NODE_OPTIONS=--require=x', saved, 'NODE_PATH=/p'], 'set-aside')).toEqual([
      'RUNIT_TS_SAVED_NODE_OPTIONS=--require=x',
      'RUNIT_TS_SAVED_NODE_PATH=/p',
    ]);
    expect(withNodeVariables([saved], 'set-aside')).toEqual([saved]);
  });
});

describe('environment bytes that are not UTF-8', () => {
  it('reach a spawned program as they came, unless the variable was changed since', () => {
    // sh gives node V and W as bytes; node changes W; the child prints both as it got them
    const script = [
      `await import(${dist('start-up.js')});`,
      `const n = await import(${dist('index.js')});`,
      `process.env.W = 'new';`,
      `const pid = n.spawn({ file: '/bin/sh', argv: ['sh', '-c', 'printf "%s|%s" "$V" "$W"'] });`,
      `n.reaper.watch(pid, () => {});`,
      `n.reaper.start();`,
    ].join('\n');
    const result = spawnSync('/bin/sh', ['-c', `V=$(printf 'p\\377q\\351'); W=$(printf '\\200'); export V W; exec "$0" --input-type=module -e "$1"`, process.execPath, script], {
      timeout: 20_000,
    });
    expect(result.stderr.toString()).toBe('');
    expect(result.stdout).toEqual(Buffer.from([0x70, 0xff, 0x71, 0xe9, 0x7c, 0x6e, 0x65, 0x77]));
  });
});
