// The stdio guard: a daemon that destroys a socket must not leave fd 2 (shared with its services)
// non-blocking. Without the guard, Node 20 opens process.stderr as a libuv stream and sets O_NONBLOCK.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => JSON.stringify(fileURLToPath(new URL(`../dist/${file}`, import.meta.url)));

function stderrFlagAfterSocketDestroy(guard: boolean): string {
  const script = `
    ${guard ? `import ${dist('stdio-guard.js')};` : ''}
    import * as n from ${dist('index.js')};
    import net from 'node:net';
    import { writeSync } from 'node:fs';
    const [r, w] = n.pipe();
    const socket = new net.Socket({ fd: r, readable: true, writable: false });
    // 'close' comes from the handle's close callback, after _destroy has read process.stderr.
    socket.on('close', () => writeSync(3, String(n.isNonBlocking(2))));
    socket.destroy();
  `;
  // fd 2 is a pipe of its own, as runsvdir's log pipe is for its services; fd 3 carries the answer.
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  return (result.output[3] as string | null) ?? '';
}

describe('stdio guard', () => {
  it('keeps fd 2 blocking when a socket is destroyed', () => {
    expect(stderrFlagAfterSocketDestroy(true)).toBe('false');
  });

  it('is needed: without it Node makes fd 2 non-blocking', () => {
    expect(stderrFlagAfterSocketDestroy(false)).toBe('true');
  });
});
