// runit-init outside PID 1 (usage, the halt and reboot requests and their errors) and as PID 1 (it
// becomes runit); runit outside PID 1. Requests run in a PID namespace whose PID 1 is a shell that
// reports SIGCONT, so that the host's PID 1 is never signalled.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, PRIVATE_MOUNT_POINTS, requireRoot } from '@runit-ts/test-support';
import { FLAVOURS, OURS } from './support/flavours.js';
import { BootedNamespace } from './support/namespace.js';
import { NOSYNC, poweredOff, script, waitingStage } from './support/scenario.js';

const neutralId = (text: string): string => text.replace(/\$Id: [^$]* \$/, '$Id$');

/**
 * Runs `setup; runit-init ARGS` as a child of a shell that is PID 1 of a fresh namespace, with `etc`
 * over /etc/runit (the scratch dir for an overlay that makes a missing mount point is a sibling of etc).
 */
function inNamespace(etc: string, setup: string, command: string[], env: NodeJS.ProcessEnv = process.env) {
  const scratch = `${etc}-mount-points`;
  mkdirSync(scratch);
  const shell = `${PRIVATE_MOUNT_POINTS}
private_mount_points "$1" /etc/runit || exit 99; mount --bind "$2" /etc/runit; mount -t tmpfs tmpfs /run; shift 2
trap 'echo "pid 1: got CONT"' CONT
${setup}
"$@"; echo "exit: $?"
true`;
  try {
    const result = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--mount', 'sh', '-c', shell, 'sh', scratch, etc, ...command], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe.each(FLAVOURS)('%s: runit-init and runit outside PID 1', (_, flavour) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('runit prints its fatal line and exits 111 when it is not process 1', () => {
    const result = spawnSync(flavour().runit, [], { encoding: 'utf8' });
    expect(result.stderr).toBe('- runit: fatal: must be run as process no 1.\n');
    expect(result.status).toBe(111);
  });

  it.each([[[]], [['']], [['1']], [['x']], [['-h']]])('runit-init %j prints the usage and exits 0', (args) => {
    const result = spawnSync(flavour().runitInit, args, { encoding: 'utf8', argv0: 'runit-init' });
    expect(result.stderr).toBe('usage: runit-init 0|6\n\n');
    expect(result.status).toBe(0);
  });

  it('runit-init -V prints its id line before the usage', () => {
    const result = spawnSync(flavour().runitInit, ['-V'], { encoding: 'utf8', argv0: 'runit-init' });
    expect(neutralId(result.stderr)).toBe('$Id$\n\nusage: runit-init 0|6\n\n');
    expect(result.status).toBe(0);
  });

  it('runit-init 0 arms stopit (0100), disarms reboot (0) and sends SIGCONT to PID 1', () => {
    requireRoot();
    const f = flavour();
    const etc = cleanup.tempDir('runit-init-halt-');
    const result = inNamespace(etc, `: > ${f.reboot}; chmod 100 ${f.reboot}`, [f.runitInit, '0', 'ignored']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('pid 1: got CONT\nexit: 0\n');
    // ours keeps its files in /etc/runit, the Debian build in /run: check them where they are.
    if (f.name === 'ours') {
      expect(statSync(join(etc, 'stopit')).mode & 0o7777).toBe(0o100);
      expect(statSync(join(etc, 'reboot')).mode & 0o7777).toBe(0);
    }
  });

  it('runit-init 0 tolerates a missing reboot file; 0x also means 0', () => {
    requireRoot();
    const f = flavour();
    const etc = cleanup.tempDir('runit-init-halt2-');
    const result = inNamespace(etc, '', [f.runitInit, '0x']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('pid 1: got CONT\nexit: 0\n');
  });

  it('runit-init 6 arms stopit and reboot (both 0100) and sends SIGCONT to PID 1', () => {
    requireRoot();
    const f = flavour();
    const etc = cleanup.tempDir('runit-init-reboot-');
    const result = inNamespace(etc, '', ['sh', '-c', `"$0" 6 && stat -c "%a %n" ${f.stopit} ${f.reboot}`, f.runitInit]);
    expect(result.stderr).toBe('');
    // PID 1's trap runs once its foreground command (the sh -c) is done.
    expect(result.stdout).toBe(`100 ${f.stopit}\n100 ${f.reboot}\npid 1: got CONT\nexit: 0\n`);
  });

  it('runit-init fails with exit 111 when stopit cannot be created', () => {
    requireRoot();
    const f = flavour();
    const etc = cleanup.tempDir('runit-init-nostopit-');
    const result = inNamespace(etc, `mkdir ${f.stopit}`, [f.runitInit, '0']);
    expect(result.stderr).toBe(`init: fatal: unable to create ${f.stopit}: ${f.createErrorText ?? 'is a directory'}\n`);
    expect(result.stdout).toBe('exit: 111\n');
  });

  it('runit-init 0 fails with exit 111 when the reboot file cannot be disarmed', () => {
    requireRoot();
    const f = flavour();
    const etc = cleanup.tempDir('runit-init-roreboot-');
    const readOnly = `: > ${f.reboot}; mount --bind ${f.reboot} ${f.reboot}; mount -o remount,bind,ro ${f.reboot}`;
    const halt = inNamespace(etc, readOnly, [f.runitInit, '0']);
    expect(halt.stderr).toBe(`init: fatal: unable to chmod ${f.reboot}: read-only file system\n`);
    expect(halt.stdout).toBe('exit: 111\n');
    const reboot = inNamespace(etc, readOnly, [f.runitInit, '6']);
    expect(reboot.stderr).toBe(`init: fatal: unable to create ${f.reboot}: ${f.createErrorText ?? 'read-only file system'}\n`);
    expect(reboot.stdout).toBe('exit: 111\n');
  });
});

describe('ours: runit-init specifics', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('keeps its control files in $RUNIT_TS_ETC when that is set', () => {
    requireRoot();
    const etc = cleanup.tempDir('runit-init-etc-');
    const elsewhere = cleanup.tempDir('runit-init-elsewhere-');
    const result = inNamespace(etc, '', [OURS.runitInit, '6'], { ...process.env, RUNIT_TS_ETC: elsewhere });
    expect(result.stdout).toBe('pid 1: got CONT\nexit: 0\n');
    expect(statSync(join(elsewhere, 'stopit')).mode & 0o7777).toBe(0o100);
    expect(statSync(join(elsewhere, 'reboot')).mode & 0o7777).toBe(0o100);
    expect(existsSync(join(etc, 'stopit'))).toBe(false);
  });

  it('as PID 1, becomes runit (the runit bundle beside it), which boots and halts', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-init-pid1-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runitInit],
      etc: { '1': script('echo "stage 1: pid 1 is $(cat /proc/1/comm), argv0 $(tr "\\0" " " < /proc/1/cmdline | cut -d" " -f1)"'), '2': waitingStage('stage 2'), '3': script('true'), nosync: NOSYNC },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
    // argv[0] is node's absolute path: runit started before /proc is mounted takes its execPath from it.
    expect(ns.console.lines()).toContain(`stage 1: pid 1 is node, argv0 ${process.execPath}`);
  });

  it('as PID 1 started before /proc is mounted, still finds node for runit and for the halt helper', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-init-noproc-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [OURS.runitInit],
      withoutProc: true,
      etc: {
        '1': script('echo "stage 1: /proc has $(ls /proc | wc -l) entries"', 'mount -t proc proc /proc', 'echo "stage 1: argv0 $(tr "\\0" " " < /proc/1/cmdline | cut -d" " -f1)"'),
        '2': waitingStage('stage 2'),
        // A stage 3 that takes /proc away again, as shutdown scripts unmount file systems.
        '3': script('umount /proc'),
        nosync: NOSYNC,
      },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(OURS, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
    expect(ns.console.lines()).toContain('stage 1: /proc has 0 entries');
    expect(ns.console.lines()).toContain(`stage 1: argv0 ${process.execPath}`);
  });

  it('as PID 1 without a runit beside it, prints the fatal line and exits 111', async () => {
    requireRoot();
    const dir = cleanup.tempDir('runit-init-norunit-');
    const dist = join(OURS.runitInit, '../../@runit-ts/init/dist');
    const lonely = join(dir, 'lonely');
    mkdirSync(join(lonely, 'node_modules/@runit-ts'), { recursive: true });
    copyFileSync(join(dist, 'runit-init.cjs'), join(lonely, 'runit-init.cjs'));
    // The addon comes from @runit-ts/native, found as in any installation.
    symlinkSync(realpathSync(join(OURS.runitInit, '../../@runit-ts/native')), join(lonely, 'node_modules/@runit-ts/native'));
    const ns = new BootedNamespace(cleanup, dir, { command: [process.execPath, join(lonely, 'runit-init.cjs')], etc: {} });
    expect(await ns.end()).toEqual({ code: 111, signal: null });
    expect(ns.output).toBe('init: fatal: unable to start runit: file does not exist\n');
  });
});
