// A full disk under a service's log dir, for real: a 64 KiB tmpfs fills while the service writes
// numbered lines through svlogd. svlogd must pause and hold the service back through the pipe (no
// line dropped, the service not restarted), then go on by itself once there is room again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Cleanup, requireRoot, waitFor } from '@runit-ts/test-support';
import { command, shellCommand } from '../src/commands.js';
import { countNumbered, describeCount, logDirLines, type Count } from '../src/numbered.js';
import { SectionRecorder } from '../src/results.js';
import { FLAVOURS, runningPid, startTree, type Flavour } from '../src/tree.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const section = new SectionRecorder(
  'disk-full',
  5,
  'A full disk under the log dirs',
  'One service writes numbered lines, 100 at a time every 10 ms, through `svlogd` (ours under runit-ts, which hands its dirs to the service host in its ' +
    'default mode and is a process in the per-process mode; runit\'s under runit) into a log dir on a 64 KiB tmpfs. Once svlogd says it is pausing, the tmpfs is grown to 4 MiB. Each cell: what ' +
    "svlogd said, whether the service was held back on the full pipe (blocked writing, same pid) rather than " +
    'losing lines, and the log once space returned (lost inside the count, repeated, instances that wrote).',
);
afterAll(() => section.save());

/** A tmpfs of 64 KiB, unmounted at clean-up (after the tree, which is started later and ended first). */
function smallDisk(base: string): string {
  const mountPoint = join(base, 'disk');
  mkdirSync(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', mountPoint]);
  cleanup.add(() => void execFileSync('umount', ['-l', mountPoint]));
  return mountPoint;
}

/** `<pid> <n>` lines (see numbered.ts), 100 at a time every 10 ms: the 64 KiB fill in well under a second. */
const BURSTS = 'i=0\nwhile :; do j=0; while [ $j -lt 100 ]; do i=$((i+1)); j=$((j+1)); echo "$$ $i"; done; sleep 0.01; done';

const blockedOnPipe = (pid: number): boolean => {
  try {
    return /pipe/.test(readFileSync(`/proc/${pid}/wchan`, 'utf8'));
  } catch {
    return false;
  }
};

interface Outcome {
  paused: boolean;
  heldBack: boolean;
  count: Count;
  text: string;
}

async function fillUp(flavour: Flavour): Promise<Outcome> {
  const base = cleanup.tempDir('faults-disk-');
  const disk = smallDisk(base);
  const logDir = join(disk, 'main');
  mkdirSync(logDir);
  // no rotation before the disk is full again: every line stays in current, none deleted
  writeFileSync(join(logDir, 'config'), 's3000000\nn1000\n');
  const svdir = join(base, 'service');
  const dir = join(svdir, 'writer');
  mkdirSync(join(dir, 'log'), { recursive: true });
  writeFileSync(join(dir, 'run'), `#!/bin/sh\nexec 2>&1\n${BURSTS}\n`, { mode: 0o755 });
  const svlogd = shellCommand(command(flavour === 'runit' ? 'runit' : 'ours', 'svlogd'));
  writeFileSync(join(dir, 'log', 'run'), `#!/bin/sh\nexec ${svlogd} ${logDir}\n`, { mode: 0o755 });
  const tree = startTree(cleanup, flavour, svdir, { dirs: [base] });
  const pid = await waitFor(() => runningPid(dir), 'the writer running', 30_000);
  const paused = await waitFor(() => tree.stderr().includes(`pausing: unable to write to current: ${logDir}`), 'svlogd pausing', 60_000).then(
    () => true,
    () => false,
  );
  const heldBack = await waitFor(() => blockedOnPipe(pid), 'the writer held back on the full pipe', 20_000).then(
    () => true,
    () => false,
  );
  const atPause = logDirLines(logDir).length;
  execFileSync('mount', ['-o', 'remount,size=4m', disk]);
  await waitFor(() => logDirLines(logDir).length > atPause + 500, 'logging again once space returned', 60_000);
  const samePid = runningPid(dir) === pid;
  const count = countNumbered(logDirLines(logDir));
  const said = tree
    .stderr()
    .split('\n')
    .find((line) => line.includes('pausing'));
  const text =
    `${paused ? `said \`${said!.replace(logDir, 'DIR')}\`` : 'did NOT say it was pausing'}; ` +
    `${heldBack && samePid ? 'the service held back on the pipe, same pid' : 'the service NOT held back'}; ` +
    `after: ${describeCount(count)}`;
  return { paused, heldBack: heldBack && samePid, count, text };
}

describe('a full disk', () => {
  it('under a logged service’s log dir (tmpfs, root)', async () => {
    requireRoot('mounting a tmpfs');
    const outcomes = {} as Record<Flavour, Outcome>;
    for (const flavour of FLAVOURS) {
      outcomes[flavour] = await fillUp(flavour);
      await cleanup.run();
    }
    section.add({ case: '64 KiB tmpfs full, then grown to 4 MiB', ours: outcomes.host.text, oursProcess: outcomes.process.text, runit: outcomes.runit.text });
    for (const flavour of ['host', 'process'] as const) {
      const { paused, heldBack, count } = outcomes[flavour];
      expect({ flavour, paused, heldBack, lost: count.lost, repeated: count.repeated, instances: count.instances }).toEqual({
        flavour,
        paused: true,
        heldBack: true,
        lost: 0,
        repeated: 0,
        instances: 1,
      });
    }
  });
});
