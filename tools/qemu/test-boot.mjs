#!/usr/bin/env node
// Proves the qemu pipeline end to end: installs what is missing (setup.sh), builds an initramfs with
// node, busybox, our bundles and a stand-in /init, then boots it twice on a real Debian kernel, once
// powering off and once rebooting, and checks from the host that each boot ended the way it should
// and that the guest printed every marker in order. Exits 0 on success; prints the console on failure.
//
// Usage: node tools/qemu/test-boot.mjs [--timeout SECONDS] [--append ARGS]
//   --timeout  the overall limit, setup included (default 900); each boot also has its own (240)
//   --append   more kernel arguments, e.g. loglevel=7 for the kernel's messages that quiet hides
// Needs root (apt-get) and the bundles built: npx nx run-many -t build --outputStyle=static
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootGuest, describeBoot, printConsole } from './boot.mjs';
import { buildInitramfs } from './build-initramfs.mjs';
import { KERNEL_LINES } from './lib/ending.mjs';
import { addonCopies, listCommands } from './lib/guest-commands.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const STAND_IN_INIT = join(HERE, 'guest', 'stand-in-init.sh');
const BOOT_TIMEOUT_SECONDS = 240;
// The guest's uptime stamp, present once /proc is mounted.
const UP = String.raw`\[[0-9.]+\] `;

const say = (line) => process.stdout.write(`qemu: ${line}\n`);
const since = (start) => ((performance.now() - start) / 1000).toFixed(1);

/** The console lines each boot must show, in this order. */
function expectedLines(action, addons) {
  const last = action === 'reboot' ? 'rebooting' : 'powering off';
  return [
    /^stand-in: init pid 1$/m,
    // Without /proc, process.execPath is argv[0] as given ("node"): recorded, not asserted.
    /^stand-in: node before mounts: v\d+\.\d+\.\d+ execPath \S+$/m,
    new RegExp(`^stand-in: ${UP}mounted proc sysfs devtmpfs run$`, 'm'),
    new RegExp(`^stand-in: ${UP}node v\\d+\\.\\d+\\.\\d+ execPath /usr/bin/node pid \\d+ kernel \\S+ cpus \\d+$`, 'm'),
    // Our sv bundle ran through its launcher and link: runit's usage line and exit code.
    new RegExp(`^stand-in: ${UP}sv says: usage: sv \\[-v\\] \\[-w sec\\] command service \\.\\.\\.$`, 'm'),
    new RegExp(`^stand-in: ${UP}sv exit 100$`, 'm'),
    new RegExp(`^stand-in: ${UP}chpst -P: pid (\\d+) pgrp \\1 sid \\1$`, 'm'),
    new RegExp(`^stand-in: ${UP}pgrphack: pid (\\d+) pgrp \\1 sid \\1$`, 'm'),
    ...addons.map((path) => new RegExp(`^stand-in: ${UP}addon ok ${path.replaceAll('.', '\\.')} pgid \\d+ pipe \\d+,\\d+$`, 'm')),
    new RegExp(`^stand-in: ${UP}${last}$`, 'm'),
    new RegExp(`^\\[ *[0-9.]+\\] ${action === 'reboot' ? KERNEL_LINES.reboot : KERNEL_LINES.poweroff}$`, 'm'),
  ];
}

/** The first expected line missing or out of order, or undefined when all are there in order. */
function firstMissing(consoleText, patterns) {
  let from = 0;
  for (const pattern of patterns) {
    const match = pattern.exec(consoleText.slice(from));
    if (match === null) return pattern;
    from += match.index + match[0].length;
  }
  return undefined;
}

async function checkBoot({ name, action, kernel, initrd, addons, logDir, append, abort }) {
  const result = await bootGuest({
    kernel,
    initrd,
    append: `quiet runit_ts_action=${action} ${append}`,
    timeoutSeconds: BOOT_TIMEOUT_SECONDS,
    log: join(logDir, `${name}.log`),
    abort,
  });
  const problems = [];
  if (result.outcome !== action) problems.push(`the guest ended with ${result.outcome}, expected ${action}`);
  const missing = firstMissing(result.console, expectedLines(action, addons));
  if (missing !== undefined) problems.push(`console line missing or out of order: ${missing}`);
  if (result.console.includes('stand-in: still running')) problems.push(`${action} -f returned`);
  if (problems.length === 0) {
    say(`ok   ${name}: ${describeBoot(result)}`);
    const proof = result.console.split('\n').filter((line) => line.startsWith('stand-in: ') || line.includes('] reboot: '));
    process.stdout.write(`${proof.map((line) => `      ${line}`).join('\n')}\n`);
    return true;
  }
  printConsole(result, `${name} console`);
  say(`FAIL ${name}: ${describeBoot(result)}\n  ${problems.join('\n  ')}`);
  return false;
}

async function main() {
  const { values } = parseArgs({
    options: { timeout: { type: 'string', default: '900' }, append: { type: 'string', default: '' } },
  });
  const started = performance.now();
  const deadline = new AbortController();
  const overall = setTimeout(() => deadline.abort(), Number(values.timeout) * 1000);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => deadline.abort());

  let start = performance.now();
  // Synchronous, so the overall timer cannot fire meanwhile: setup gets the overall limit as its own.
  const kernel = execFileSync('bash', [join(HERE, 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: Number(values.timeout) * 1000,
  }).trim();
  say(`setup ${since(start)} s (kernel ${kernel})`);

  const workDir = mkdtempSync(join(tmpdir(), 'runit-ts-qemu-'));
  try {
    start = performance.now();
    const initrd = await buildInitramfs({ out: join(workDir, 'initramfs.cpio.gz'), init: STAND_IN_INIT, repo: REPO });
    const megabytes = (statSync(initrd).size / 1e6).toFixed(1);
    say(`initramfs ${since(start)} s (${megabytes} MB)`);

    const addons = addonCopies(REPO, listCommands(REPO)).map((copy) => copy.guest);
    const boots = [
      { name: 'boot-poweroff', action: 'poweroff' },
      { name: 'boot-reboot', action: 'reboot' },
    ];
    let passed = 0;
    for (const boot of boots) {
      if (deadline.signal.aborted) {
        say(`FAIL ${boot.name}: not started, the overall time limit (${values.timeout} s) was reached`);
        continue;
      }
      if (await checkBoot({ ...boot, kernel, initrd, addons, logDir: workDir, append: values.append, abort: deadline.signal })) passed++;
    }
    say(`${since(started)} s in all`);
    // Alone on its line, so that CI reads it as the closing count.
    say(`${passed} passed, ${boots.length - passed} failed`);
    process.exitCode = passed === boots.length ? 0 : 1;
  } finally {
    clearTimeout(overall);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`qemu: ${error.stack ?? error}\n`);
  process.exit(1);
});
