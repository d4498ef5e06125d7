// runit's standard log layout under runsvdir's host (the hand-off is the default): a log/run that execs
// our svlogd hands its dirs to the host and exits; the host writes them (docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, commandForNobody, isAlive, NOBODY, nodeDirForNobody, referenceBinary, requireRoot, waitFor } from '@runit-ts/test-support';
import { allProcesses, cwdOf, procInfo } from './support/procfs.js';
import { startRunsvdir, sv } from './support/runsvdir-run.js';
import { makeService, supervisedPid, textOf } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The hand-off is the default (decision 0008); `on` says so explicitly. */
const HAND_OFF = { RUNIT_TS_HOSTED_SVLOGD: 'on' };
const SVLOGD = fileURLToPath(new URL('../../logger/bin/svlogd', import.meta.url));
const CHPST = fileURLToPath(new URL('../../chpst/bin/chpst', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../../logger/dist/svlogd.cjs', import.meta.url)))) {
  throw new Error('packages/logger/dist/svlogd.cjs is missing: build @runit-ts/logger first');
}

/** Numbered lines, one every 10 ms, for ever: a gap or a repeat in the log is a lost or doubled line. */
const COUNTER = 'i=0; while :; do echo "line $i"; i=$((i+1)); sleep 0.01; done';

function loggedService(svdir: string, name: string): string {
  const dir = makeService(svdir, name, { run: `exec 2>&1\n${COUNTER}`, log: `exec 2>&1\nmkdir -p ./main\nexec ${SVLOGD} ./main` });
  return dir;
}

const current = (dir: string): string => textOf(join(dir, 'log', 'main', 'current'));
const numbers = (text: string): number[] => [...text.matchAll(/^line (\d+)$/gm)].map((m) => Number(m[1]));
const logState = (dir: string): string | undefined => procInfo(supervisedPid(join(dir, 'log')))?.state;

/** Waits until the log has a line numbered beyond `n`; returns the numbers logged so far. */
async function loggedBeyond(dir: string, n: number): Promise<number[]> {
  return waitFor(() => {
    const seen = numbers(current(dir));
    return seen.length > 0 && seen[seen.length - 1]! > n ? seen : undefined;
  }, `line ${n + 1} logged`);
}

function expectConsecutive(seen: number[]): void {
  expect(seen[0]).toBe(0);
  const gaps = seen.filter((n, i) => i > 0 && n !== seen[i - 1]! + 1);
  expect(gaps).toEqual([]);
}

describe('runsvdir’s host writing the dirs of a log/run that execs our svlogd', () => {
  it('keeps the handed-off log/run as a harmless unreaped pid that sv and svstat show as runit’s, and loses no line across sv restart DIR/log', async () => {
    const base = cleanup.tempDir('hosted-svlogd-');
    const svdir = join(base, 'service');
    const dir = loggedService(svdir, 'counter');
    const run = startRunsvdir(cleanup, [svdir], { dirs: [base], env: HAND_OFF });
    await loggedBeyond(dir, 5);
    const logPid = supervisedPid(join(dir, 'log'));
    // the log/run process exited after handing over and is kept unreaped by the host (not runsvdir)
    expect(logState(dir)).toBe('Z');
    const hostPid = procInfo(logPid)!.ppid;
    expect(hostPid).not.toBe(run.pid);
    expect(sv(['status', dir]).stdout).toMatch(new RegExp(`^run: .*counter: \\(pid \\d+\\) \\d+s; run: log: \\(pid ${logPid}\\) \\d+s\\n$`));
    const svstat = spawnSync(referenceBinary('svstat'), [join(dir, 'log')], { encoding: 'utf8' });
    expect(svstat.stdout).toMatch(new RegExp(`^${join(dir, 'log')}: up \\(pid ${logPid}\\) \\d+ seconds\\n$`));

    // kill -9 of what supervise/pid holds touches nothing: the host and the log go on
    process.kill(logPid, 'SIGKILL');
    const before = numbers(current(dir)).at(-1)!;
    await loggedBeyond(dir, before + 5);
    expect(isAlive(hostPid)).toBe(true);
    expect(supervisedPid(join(dir, 'log'))).toBe(logPid);

    // sv restart DIR/log: TERM writes out and stops, runsv's restart hands over again; nothing lost
    expect(sv(['restart', join(dir, 'log')]).code).toBe(0);
    await waitFor(() => supervisedPid(join(dir, 'log')) !== logPid && logState(dir) === 'Z', 'the log restarted and handed over again');
    const restartedAt = numbers(current(dir)).at(-1)!;
    expectConsecutive(await loggedBeyond(dir, restartedAt + 20));
  });

  it('kill -9 of the host: the next host adopts the service, log/run hands over again, and the log goes on with nothing repeated', async () => {
    const base = cleanup.tempDir('hosted-svlogd-');
    const svdir = join(base, 'service');
    const dir = loggedService(svdir, 'counter');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    await loggedBeyond(dir, 5);
    const servicePid = supervisedPid(dir);
    const logPid = supervisedPid(join(dir, 'log'));
    const hostPid = procInfo(logPid)!.ppid;
    process.kill(hostPid, 'SIGKILL');
    await waitFor(() => !isAlive(hostPid), 'the host gone');
    await waitFor(() => {
      const newLog = supervisedPid(join(dir, 'log'));
      return newLog !== logPid && logState(dir) === 'Z' && procInfo(newLog)?.ppid !== hostPid;
    }, 'log/run handed over to the new host');
    const last = numbers(current(dir)).at(-1) ?? 0;
    await loggedBeyond(dir, last + 20);
    expect(supervisedPid(dir)).toBe(servicePid);
    // the dead host's `current` was renamed @….u by the new hand-over: every file, in order
    const logDir = join(dir, 'log', 'main');
    const files = [...readdirSync(logDir).filter((f) => f.startsWith('@')).sort(), 'current'];
    const seen = files.flatMap((f) => numbers(readFileSync(join(logDir, f), 'utf8')));
    expect(seen[0]).toBe(0);
    seen.forEach((n, i) => i > 0 && expect(n, `line ${i}`).toBeGreaterThan(seen[i - 1]!));
    // what the host had read and not yet written when it was killed is lost, as with kill -9 of svlogd
    expect(seen.filter((n, i) => i > 0 && n !== seen[i - 1]! + 1).length).toBeLessThanOrEqual(1);
  });

  it('rotates on sv alarm DIR/log, as svlogd does on SIGALRM', async () => {
    const base = cleanup.tempDir('hosted-svlogd-');
    const svdir = join(base, 'service');
    const dir = loggedService(svdir, 'rotated');
    startRunsvdir(cleanup, [svdir], { dirs: [base], env: HAND_OFF });
    await loggedBeyond(dir, 3);
    expect(logState(dir)).toBe('Z');
    expect(sv(['alarm', join(dir, 'log')]).code).toBe(0);
    await waitFor(() => spawnSync('sh', ['-c', `ls ${join(dir, 'log', 'main')}/@*.s`]).status === 0, 'a rotated .s file');
    const rotated = spawnSync('sh', ['-c', `cat ${join(dir, 'log', 'main')}/@*.s`], { encoding: 'utf8' }).stdout;
    const seen = numbers(rotated);
    expectConsecutive([...seen, ...numbers(current(dir))].slice(0, seen.length + 3));
  });

  it('hosts a log/run written as dh-runit writes it (chown, chmod, exec chpst -u USER svlogd -tt DIR): files the log user’s (root)', async () => {
    requireRoot();
    const base = cleanup.tempDir('hosted-svlogd-');
    chmodSync(base, 0o755);
    const svdir = join(base, 'service');
    const logs = join(base, 'var-log-runit', 'talker');
    const svlogd = commandForNobody(cleanup, SVLOGD);
    const logRun = [
      `mkdir -p ${logs}`,
      `chown nobody:nogroup ${logs}`,
      `chmod 750 ${logs}`,
      `exec ${CHPST} -u nobody:nogroup ${svlogd} -tt ${logs}`,
    ].join('\n');
    const dir = makeService(svdir, 'talker', { run: 'exec 2>&1\necho hello\nexec sleep 600', log: logRun });
    startRunsvdir(cleanup, [svdir], { dirs: [base], env: { ...HAND_OFF, PATH: `${nodeDirForNobody(cleanup)}:/usr/bin:/bin` } });
    await waitFor(() => / hello\n$/.test(textOf(join(logs, 'current'))), 'hello logged');
    const logPid = supervisedPid(join(dir, 'log'));
    expect(procInfo(logPid)?.state).toBe('Z');
    expect(statSync(`/proc/${logPid}`).uid).toBe(NOBODY);
    for (const name of readdirSync(logs)) {
      const stat = statSync(join(logs, name));
      expect([name, stat.uid]).toEqual([name, NOBODY]);
    }
  });

  it('stops reading on sv pause DIR/log, so the service blocks on the full pipe, and reads on after sv cont', async () => {
    const base = cleanup.tempDir('hosted-svlogd-');
    const svdir = join(base, 'service');
    // 3,000 lines of 100 bytes (300 KB, several pipefuls) once ./go exists, then ./done
    const run = `echo start; while [ ! -e go ]; do sleep 0.05; done; yes ${'x'.repeat(99)} | head -n 3000; touch done; exec sleep 600`;
    const dir = makeService(svdir, 'paused', { run: `exec 2>&1\n${run}`, log: `mkdir -p ./main\nexec ${SVLOGD} ./main` });
    startRunsvdir(cleanup, [svdir], { dirs: [base], env: HAND_OFF });
    await waitFor(() => current(dir) === 'start\n', 'start logged');
    expect(sv(['pause', join(dir, 'log')]).code).toBe(0);
    writeFileSync(join(dir, 'go'), '');
    // a process listed may be gone before its wchan is read (the loop's sleeps come and go)
    const waitingIn = (pid: number): string => {
      try {
        return readFileSync(`/proc/${pid}/wchan`, 'utf8');
      } catch {
        return '';
      }
    };
    const blockedOnPipe = () => allProcesses().some((p) => cwdOf(p.pid) === dir && /pipe/.test(waitingIn(p.pid)));
    await waitFor(blockedOnPipe, 'the service blocked writing to the full log pipe');
    expect(existsSync(join(dir, 'done'))).toBe(false);
    expect(sv(['cont', join(dir, 'log')]).code).toBe(0);
    await waitFor(() => existsSync(join(dir, 'done')), 'the service done writing');
    await waitFor(() => current(dir).length === 6 + 300_000, 'every line logged');
    expect(current(dir)).toBe(`start\n${`${'x'.repeat(99)}\n`.repeat(3000)}`);
  });

  it('hands off by default, and runs svlogd as a process of its own with RUNIT_TS_HOSTED_SVLOGD=off (runit’s exact tree)', async () => {
    const base = cleanup.tempDir('hosted-svlogd-');
    const svdir = join(base, 'service');
    const byDefault = loggedService(svdir, 'default');
    startRunsvdir(cleanup, [svdir], { dirs: [base] });
    const off = loggedService(join(base, 'off'), 'alone');
    startRunsvdir(cleanup, [join(base, 'off')], { dirs: [base], env: { RUNIT_TS_HOSTED_SVLOGD: 'off' } });
    for (const dir of [byDefault, off]) await loggedBeyond(dir, 3);
    expect(logState(byDefault)).toBe('Z');
    expect(logState(off)).toBeDefined();
    expect(logState(off)).not.toBe('Z');
  });
});
