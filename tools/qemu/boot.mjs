#!/usr/bin/env node
// Boots a kernel and an initramfs under qemu (TCG), with its own time limit, captures the serial
// console to a log file and tells how the guest ended: power-off, reboot, halt, panic or timeout.
//
// Usage: node tools/qemu/boot.mjs --kernel FILE --initrd FILE [--append ARGS] [--timeout SECONDS]
//                                [--log FILE] [--expect poweroff|reboot|halt]
// Exits 0 when the guest ended as expected (default: poweroff), 1 otherwise, printing the console.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listenForQmp } from './lib/qmp.mjs';
import { classifyEnding } from './lib/ending.mjs';

const KILL_GRACE_MS = 5000;

/**
 * Boots the guest and resolves, never rejects for a guest failure, with
 * { outcome, exitCode, signal, shutdownReason, seconds, console, stderr, log }.
 * `console` is the serial console text (CRLF as LF, terminal escapes removed); `log` is the raw
 * capture on disk.
 */
export async function bootGuest({
  kernel,
  initrd,
  append = '',
  timeoutSeconds = 120,
  log,
  memoryMb = 512,
  qemu = 'qemu-system-x86_64',
  abort,
}) {
  const monitor = await listenForQmp();
  const args = [
    '-accel', 'tcg',
    '-m', String(memoryMb),
    '-kernel', kernel,
    '-initrd', initrd,
    // panic=-1: a panic (PID 1 dying) resets at once, so qemu exits instead of hanging. init=/init:
    // an /init that cannot be executed panics instead of falling back to /bin/sh (which would wait
    // on the console until the time limit).
    '-append', `console=ttyS0 panic=-1 init=/init ${append}`.trim(),
    '-nographic',
    '-no-reboot',
    '-nic', 'none',
    '-qmp', `unix:${monitor.path}`,
  ];
  const started = process.hrtime.bigint();
  const logFile = log === undefined ? undefined : createWriteStream(log);
  const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  let stderr = '';
  let endedBy;
  let tail = '';

  const stop = (why) => {
    if (endedBy !== undefined) return;
    endedBy = why;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = setTimeout(() => stop('timeout'), timeoutSeconds * 1000);
  // A caller's overall deadline (`abort`, an AbortSignal) ends qemu like the boot's own time limit.
  const onAbort = () => stop('timeout');
  if (abort?.aborted) onAbort();
  abort?.addEventListener('abort', onAbort);

  child.stdout.on('data', (chunk) => {
    chunks.push(chunk);
    logFile?.write(chunk);
    // A halted guest never makes qemu exit: end it as soon as the kernel says so.
    tail = (tail + chunk.toString('latin1')).slice(-200);
    if (tail.includes('reboot: System halted')) stop('halt');
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });

  const [exitCode, signal] = await new Promise((done) => {
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
      done([null, null]);
    });
    child.on('close', (code, sig) => done([code, sig]));
  });
  clearTimeout(timer);
  abort?.removeEventListener('abort', onAbort);
  await Promise.race([monitor.whenDisconnected(), new Promise((r) => setTimeout(r, 2000))]);
  const shutdownReason = monitor.shutdownReason();
  monitor.close();
  if (logFile) await new Promise((r) => logFile.end(r));

  const consoleText = consoleTextOf(Buffer.concat(chunks));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const outcome = classifyEnding({ endedBy, exitCode, shutdownReason, consoleText });
  return { outcome, exitCode, signal, shutdownReason, seconds, console: consoleText, stderr, log };
}

/**
 * The serial console as text lines: CRLF as LF, terminal escapes removed (the firmware clears the
 * screen with escape sequences that would glue onto the guest's first line). The firmware's last
 * line, "Booting from ROM...", has once come without its last dot and line end on a loaded machine,
 * runit's first line glued to it: the guest's output always starts a line of its own.
 */
export function consoleTextOf(raw) {
  return raw
    .toString('utf8')
    .replace(/\r\n/g, '\n')
    .replace(/\x1b(?:\[[0-9;?]*[A-Za-z]|[A-Za-z])/g, '')
    .replace(/^(Booting from ROM\.*)(?=[^.\n])/m, '$1\n');
}

/** One line saying how a boot ended, for logs and reports. */
export function describeBoot(result) {
  const reason = result.shutdownReason ?? 'none';
  return `outcome=${result.outcome} qemu-exit=${result.exitCode ?? result.signal} qmp-shutdown=${reason} seconds=${result.seconds.toFixed(1)}`;
}

/** Prints the whole console (and qemu's stderr) to stderr, framed, for a failed boot. */
export function printConsole(result, title = 'guest console') {
  process.stderr.write(`----- ${title} (${describeBoot(result)}) -----\n${result.console}\n`);
  if (result.stderr.trim() !== '') process.stderr.write(`----- qemu stderr -----\n${result.stderr}\n`);
  process.stderr.write(`----- end of ${title} -----\n`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      kernel: { type: 'string' },
      initrd: { type: 'string' },
      append: { type: 'string', default: '' },
      timeout: { type: 'string', default: '120' },
      log: { type: 'string' },
      expect: { type: 'string', default: 'poweroff' },
    },
  });
  if (values.kernel === undefined || values.initrd === undefined) {
    process.stderr.write('usage: boot.mjs --kernel FILE --initrd FILE [--append ARGS] [--timeout SECONDS] [--log FILE] [--expect poweroff|reboot|halt]\n');
    process.exit(100);
  }
  const result = await bootGuest({
    kernel: values.kernel,
    initrd: values.initrd,
    append: values.append,
    timeoutSeconds: Number(values.timeout),
    log: values.log,
  });
  process.stdout.write(`boot: ${describeBoot(result)}\n`);
  if (result.outcome !== values.expect) {
    printConsole(result);
    process.stderr.write(`boot: expected ${values.expect}, got ${result.outcome}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`boot: ${error.stack}\n`);
    process.exit(111);
  });
}
