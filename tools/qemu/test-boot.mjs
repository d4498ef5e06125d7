#!/usr/bin/env node
// The real-kernel test (issue 9): boots a Debian kernel under qemu with runit-ts as PID 1 (/init is
// our runit-init, which execs our runit) over the test box in tools/qemu/box, twice: the box ends
// with `runit-init 0` and must power off, then with `runit-init 6` and must reboot. Each boot is
// checked from the serial console (lib/box-checks.mjs) and by how qemu ended. Installs what is
// missing first (setup.sh). Exits 0 when both boots passed; prints a failed boot's whole console.
//
// Usage: node tools/qemu/test-boot.mjs [--timeout SECONDS] [--append ARGS] [--keep DIR]
//   --timeout  the overall limit, setup included (default 900); each boot also has its own (300)
//   --append   more kernel arguments, e.g. loglevel=7 for the kernel's messages that quiet hides
//   --keep     keep the initramfs and the console logs in DIR (default: a temp dir, removed)
// Needs root (apt-get) and the bundles built: npx nx run-many -t build --outputStyle=static
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootGuest, describeBoot, printConsole } from './boot.mjs';
import { buildInitramfs } from './build-initramfs.mjs';
import { consoleProblems, proofLines } from './lib/box-checks.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const BOX = join(HERE, 'box');
const BOOT_TIMEOUT_SECONDS = 300;

// The second boot also switches runsvdir to a runsv process per service (runit's own process tree):
// the kernel hands unknown key=value arguments to init's environment, which reaches runsvdir.
const BOOTS = [
  { name: 'runit-poweroff', level: 0, outcome: 'poweroff', mode: 'host', kernelArgs: '' },
  { name: 'runit-reboot-runsv', level: 6, outcome: 'reboot', mode: 'process', kernelArgs: 'RUNIT_TS_RUNSVDIR_MODE=process' },
];

const say = (line) => process.stdout.write(`qemu: ${line}\n`);
const since = (start) => ((performance.now() - start) / 1000).toFixed(1);

async function checkBoot({ name, level, outcome, mode, kernelArgs, kernel, initrd, logDir, append, abort }) {
  const result = await bootGuest({
    kernel,
    initrd,
    // The checker service reads runit_ts_level from /proc/cmdline.
    append: `quiet runit_ts_level=${level} ${kernelArgs} ${append}`.trim(),
    timeoutSeconds: BOOT_TIMEOUT_SECONDS,
    log: join(logDir, `${name}.log`),
    abort,
  });
  const problems = [];
  if (result.outcome !== outcome) problems.push(`the guest ended with ${result.outcome}, expected ${outcome}`);
  problems.push(...consoleProblems(result.console, level, mode));
  if (problems.length === 0) {
    say(`ok   ${name}: ${describeBoot(result)}`);
    process.stdout.write(`${proofLines(result.console).map((line) => `      ${line}`).join('\n')}\n`);
    return true;
  }
  printConsole(result, `${name} console`);
  say(`FAIL ${name}: ${describeBoot(result)}\n  ${problems.join('\n  ')}`);
  return false;
}

async function main() {
  const { values } = parseArgs({
    options: {
      timeout: { type: 'string', default: '900' },
      append: { type: 'string', default: '' },
      keep: { type: 'string' },
    },
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

  const workDir = values.keep === undefined ? mkdtempSync(join(tmpdir(), 'runit-ts-qemu-')) : resolve(values.keep);
  mkdirSync(workDir, { recursive: true });
  try {
    start = performance.now();
    const initrd = await buildInitramfs({
      out: join(workDir, 'initramfs.cpio.gz'),
      initLink: '/sbin/runit-init',
      trees: [BOX],
      repo: REPO,
    });
    say(`initramfs ${since(start)} s (${(statSync(initrd).size / 1e6).toFixed(1)} MB)`);

    let passed = 0;
    for (const boot of BOOTS) {
      if (deadline.signal.aborted) {
        say(`FAIL ${boot.name}: not started, the overall time limit (${values.timeout} s) was reached`);
        continue;
      }
      if (await checkBoot({ ...boot, kernel, initrd, logDir: workDir, append: values.append, abort: deadline.signal })) passed++;
    }
    say(`${since(started)} s in all`);
    // Alone on its line, so that CI reads it as the closing count.
    say(`${passed} passed, ${BOOTS.length - passed} failed`);
    process.exitCode = passed === BOOTS.length ? 0 : 1;
  } finally {
    clearTimeout(overall);
    if (values.keep === undefined) rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`qemu: ${error.stack ?? error}\n`);
  process.exit(1);
});
