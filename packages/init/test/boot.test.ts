// A real boot with runit as PID 1 of a PID namespace: stages (their signals and environment), runsvdir
// with services, orphans reaped, and the end of the namespace by reboot(2) on runit-init 0 (power
// off) and 6 (reboot).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, requireRoot, waitFor } from '@runit-ts/test-support';
import { FLAVOURS, supervisionBin } from './support/flavours.js';
import { BootedNamespace, type NamespaceProcess, writeFiles } from './support/namespace.js';
import { line, NOSYNC, normalStages, poweredOff, script, waitingStage } from './support/scenario.js';

const ORPHANS = 300;

describe.each(FLAVOURS)('%s as PID 1', (_, flavour) => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('boots runsvdir in stage 2, leaves no zombie of hundreds of orphans, and powers off on runit-init 0', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-boot-');
    const svdir = join(dir, 'service');
    writeFiles(svdir, {
      'hello/run': script('echo "hello: up"', 'exec sleep 100000'),
      // Orphans that live until the test lets them go: each reads a FIFO until no writer is left, and
      // the only writer is this script, which closes it once the file `release` exists.
      'orphans/run': script(
        'rm -f gate; mkfifo gate',
        'exec 4<>gate 3<gate',
        'i=0',
        `while [ $i -lt ${ORPHANS} ]; do (cat - <&3 >/dev/null 3<&- 4>&- &); i=$((i+1)); done`,
        'exec 3<&-',
        'echo "orphans: made"',
        'while [ ! -e release ]; do sleep 0.05; done',
        'exec 4>&-',
        'exec sleep 100000',
      ),
    });
    const bin = supervisionBin(f);
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      etc: {
        '1': script('echo "stage 1: marker"'),
        '2': script('echo "stage 2: runsvdir"', `exec env - PATH=${bin}:/usr/bin:/bin runsvdir -P ${svdir} 'log: ${'.'.repeat(40)}'`),
        '3': script(`PATH=${bin}:$PATH`, `sv -w30 force-stop ${svdir}/*`, `sv exit ${svdir}/*`, 'echo "stage 3: services stopped"'),
        nosync: NOSYNC,
      },
    });
    await ns.console.waitForLine('stage 1: marker');
    await ns.console.waitForLine('hello: up');
    await ns.console.waitForLine('orphans: made');

    const hostMounts = readFileSync('/proc/self/mountinfo', 'utf8');
    expect(hostMounts).not.toContain(dir);
    expect(hostMounts.split('\n').some((m) => m.split(' ')[4] === '/etc/runit')).toBe(false);

    // Every orphan (re-parented to PID 1 when its subshell exits) is there, held; once released, each
    // ends and gets reaped: none is left running, and none a zombie.
    const isOrphan = (p: NamespaceProcess): boolean => p.comm === 'cat';
    await waitFor(async () => (await ns.processes()).filter(isOrphan).length === ORPHANS, `${ORPHANS} orphans running`, 60_000);
    writeFileSync(join(svdir, 'orphans', 'release'), '');
    await waitFor(async () => !(await ns.processes()).some((p) => p.state === 'Z' || isOrphan(p)), 'every orphan ended and reaped', 60_000);

    await ns.runitInit(f, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.runitLines()).toEqual(poweredOff());
    const lines = ns.console.lines();
    expect(lines.indexOf('stage 3: services stopped')).toBeGreaterThan(lines.indexOf(line.enter(3)));
    expect(lines.indexOf('stage 3: services stopped')).toBeLessThan(lines.indexOf(line.leave(3)));
  });

  it('takes the reboot path on runit-init 6 (reboot(2) with RB_AUTOBOOT ends the namespace by SIGHUP)', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-reboot-');
    // No nosync here: the reboot path syncs first, as runit does.
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      etc: { '1': script('true'), '2': waitingStage('stage 2'), '3': script('true') },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(f, '6');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGHUP' });
    expect(ns.console.runitLines()).toEqual([line.booting, ...normalStages, line.killAll, line.reboot]);
  });

  it(`starts stages with every signal at its default${flavour().stagesIgnoreSigcont ? ' except SIGCONT (2.1.2 bug)' : ''}`, async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-sigign-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      etc: {
        '1': script('grep -E "^Sig(Ign|Blk)" /proc/self/status | sed "s/^/stage 1: /"'),
        '2': script('grep -E "^Sig(Ign|Blk)" /proc/self/status | sed "s/^/stage 2: /"'),
        '3': script('true'),
        nosync: NOSYNC,
      },
    });
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    const sigcontIgnored = (1n << 17n).toString(16).padStart(16, '0');
    const ignored = f.stagesIgnoreSigcont ? sigcontIgnored : '0'.repeat(16);
    for (const stage of ['stage 1', 'stage 2']) {
      expect(ns.console.lines()).toContain(`${stage}: SigIgn:\t${ignored}`);
      // Debian's 2.1.2 also leaves SIGPWR blocked in its stages; ours blocks nothing.
      if (f.name === 'ours') expect(ns.console.lines()).toContain(`${stage}: SigBlk:\t${'0'.repeat(16)}`);
    }
  });

  it('passes the stages environment bytes that are not UTF-8 as it was given them', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-bytes-');
    // each stage prints the bytes of XV in hex: p\377q, then \351 and a lone \200
    const show = (stage: string) => script(`printf %s "$XV" | od -An -tx1 | tr -s ' ' | sed "s/^/${stage}: XV/"`);
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      beforeInit: `XV=$(printf 'p\\377q\\351\\200'); export XV`,
      etc: { '1': show('stage 1'), '2': show('stage 2'), '3': script('true'), nosync: NOSYNC },
    });
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    for (const stage of ['stage 1', 'stage 2']) expect(ns.console.lines()).toContain(`${stage}: XV 70 ff 71 e9 80`);
  });

  it('disarms stopit once it has been honoured', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-stopit-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: [f.runit],
      etc: {
        '1': script('true'),
        '2': waitingStage('stage 2'),
        '3': script(`stat -c "stage 3: stopit %a" ${f.stopit}`),
        nosync: NOSYNC,
      },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(f, '0');
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ns.console.lines()).toContain('stage 3: stopit 0');
    if (f.name === 'ours') expect(statSync(join(ns.etc, 'stopit')).mode & 0o7777).toBe(0);
  });

  it('stays up as PID 1 when the kernel refuses reboot(2) (no CAP_SYS_BOOT): power off, 2 s, halt, then waits', async () => {
    requireRoot();
    const f = flavour();
    const dir = cleanup.tempDir('runit-init-nocap-');
    const ns = new BootedNamespace(cleanup, dir, {
      command: ['setpriv', '--bounding-set', '-sys_boot', f.runit],
      etc: { '1': script('true'), '2': waitingStage('stage 2'), '3': script('true'), nosync: NOSYNC },
    });
    await ns.console.waitForLine('stage 2: up');
    await ns.runitInit(f, '0');
    await ns.console.waitForLine(line.halt);
    expect(ns.console.runitLines()).toEqual([...poweredOff(), line.halt]);
    const init = await ns.initPid();
    expect(isAlive(init)).toBe(true);
    if (f.name === 'ours') {
      // Ours goes on reaping (runit 2.1.2 pauses with SIGCHLD caught and reaps nothing more).
      const orphan = (await ns.exec(['sh', '-c', '(sleep 0.2 & echo $!)'])).trim();
      await waitFor(async () => (await ns.exec(['sh', '-c', `test -e /proc/${orphan} && echo there || echo gone`])).trim() === 'gone', 'the orphan to be reaped');
      expect(isAlive(init)).toBe(true);
    }
  });
});
