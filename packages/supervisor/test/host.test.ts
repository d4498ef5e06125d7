// SupervisorHost: many supervisors in one process, each one's waits and failures kept to itself.
// Uses the reaper, so no child_process here.
import { closeSync, existsSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getrlimit, setrlimit } from '@runit-ts/native';
import { Cleanup, waitFor } from '@runit-ts/test-support';
import { diagnosticText, SupervisorError, SupervisorHost, type Diagnostic, type HostOptions } from '../src/index.js';
import { lines, makeService, readPid, readStat } from './fixtures.js';
import { stopSupervisor } from './supervise.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function host(options: HostOptions = {}): { host: SupervisorHost; diagnostics: string[] } {
  const diagnostics: string[] = [];
  const h = new SupervisorHost({ diagnostics: (d: Diagnostic) => diagnostics.push(`${d.subject}: ${d.level}: ${diagnosticText(d)}`), ...options });
  cleanup.add(async () => {
    for (const sup of h.supervisors) await stopSupervisor(sup);
  });
  return { host: h, diagnostics };
}

/** A file the host's children write their stdout and stderr to. */
function outputFd(root: string): number {
  const fd = openSync(join(root, 'children.out'), 'a');
  cleanup.add(() => closeSync(fd));
  return fd;
}

describe('SupervisorHost', () => {
  it('the 1-second rule holds back only its own service: another one is served meanwhile', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h } = host({ stdoutFd: fd, stderrFd: fd });
    const quick = makeService(root, 'quick', { run: 'exit 0' });
    const steady = makeService(root, 'steady', {});
    const a = h.add(quick);
    const b = h.add(steady);
    await waitFor(() => readStat(steady) === 'run', 'steady runs');
    // catch quick in its hold: it just went down after a run of less than a second
    const held = await new Promise<number>((resolve) =>
      a.on('state', (_, status) => status.state === 'down' && resolve(status.since.seconds * 1e9 + status.since.nanoseconds)),
    );
    b.control('d');
    await waitFor(() => b.status().state === 'down', 'steady obeys d while quick is held');
    const now = a.status();
    expect(now.state).toBe('down'); // quick has not been restarted yet: still in its hold
    expect(now.since.seconds * 1e9 + now.since.nanoseconds).toBe(held);
    await waitFor(() => a.status().state === 'run' || a.status().since.seconds * 1e9 + a.status().since.nanoseconds !== held, 'quick restarts after its hold');
  });

  it('a control handler that waits blocks its own service only', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h } = host({ stdoutFd: fd, stderrFd: fd });
    const gate = join(root, 'gate');
    const waiting = makeService(root, 'waiting', { control: { h: `while [ ! -e ${gate} ]; do sleep 0.02; done\nexit 0` } });
    const other = makeService(root, 'other', {});
    const a = h.add(waiting);
    const b = h.add(other);
    await waitFor(() => readStat(waiting) === 'run' && readStat(other) === 'run', 'both run');
    a.control('hd'); // control/h waits for the gate; d waits behind it
    b.control('d');
    await waitFor(() => readStat(other) === 'down', 'other served');
    expect(a.status()).toMatchObject({ state: 'run', want: 'up' });
    writeFileSync(gate, '');
    await waitFor(() => readStat(waiting) === 'down', 'waiting goes on after its handler');
  });

  it('a bad dir is reported and ends its supervisor with 111; the other supervisors start and run', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h, diagnostics } = host({ stdoutFd: fd, stderrFd: fd });
    const good = makeService(root, 'good', {});
    writeFileSync(join(root, 'file'), '');
    const added = [h.add(join(root, 'missing'), { name: 'missing' }), h.add(join(root, 'file'), { name: 'file' }), h.add(good, { name: 'good' })];
    const [missing, file] = await Promise.all(added.slice(0, 2).map((s) => s.ended));
    expect([missing!.code, file!.code]).toEqual([111, 111]);
    expect(missing!.error).toBeInstanceOf(SupervisorError);
    expect(diagnostics).toEqual([
      'missing: fatal: unable to change to directory: file does not exist',
      'file: fatal: unable to change to directory: not a directory',
    ]);
    await waitFor(() => readStat(good) === 'run', 'good runs');
    expect(h.supervisors.map((s) => s.name)).toEqual(['good']);
  });

  it('EMFILE in one supervisor fails that one only; the others go on, and a later one starts', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h, diagnostics } = host({ stdoutFd: fd, stderrFd: fd });
    const first = makeService(root, 'first', {});
    const starved = makeService(root, 'starved', { log: 'exec cat >/dev/null' });
    const later = makeService(root, 'later', {});
    const a = h.add(first, { name: 'first' });
    await waitFor(() => readStat(first) === 'run', 'first runs');
    const limit = getrlimit('NOFILE');
    const open = readdirSync('/proc/self/fd').length;
    setrlimit('NOFILE', { soft: open + 4, hard: limit.hard });
    let error: unknown;
    try {
      const starting = h.add(starved, { name: 'starved' });
      error = (await starting.ended).error;
    } finally {
      setrlimit('NOFILE', limit);
    }
    expect(error).toBeInstanceOf(SupervisorError);
    expect((error as SupervisorError).message).toMatch(/: process cannot open more files$/);
    expect(diagnostics.filter((d) => d.startsWith('starved: fatal: '))).toHaveLength(1);
    a.control('d');
    await waitFor(() => readStat(first) === 'down', 'first still obeys');
    h.add(later, { name: 'later' });
    await waitFor(() => readStat(later) === 'run', 'later runs');
    // the failed one released what it had opened: a new attempt takes the same dir
    await waitFor(() => !h.get(starved), 'the failed one forgotten');
    h.add(starved, { name: 'starved' });
    await waitFor(() => readStat(starved) === 'run', 'starved runs after all');
  });

  it('makeFdRoom raises the soft limit on open files as services are added; without it the limit stays', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const limit = getrlimit('NOFILE');
    cleanup.add(() => setrlimit('NOFILE', limit));
    const soft = readdirSync('/proc/self/fd').length + 40;
    setrlimit('NOFILE', { soft, hard: limit.hard });
    const plain = host({ stdoutFd: fd, stderrFd: fd }).host;
    for (const name of ['a', 'b', 'c']) plain.add(makeService(root, name, {}));
    expect(getrlimit('NOFILE').soft).toBe(soft);
    const roomy = host({ stdoutFd: fd, stderrFd: fd, makeFdRoom: true }).host;
    for (const name of ['d', 'e', 'f']) roomy.add(makeService(root, name, {}));
    expect(getrlimit('NOFILE').soft).toBeGreaterThanOrEqual(64 + 16 * 3);
    await waitFor(() => [...plain.pids(), ...roomy.pids()].every((p) => p.service > 0), 'all six run');
  });

  it('a listener that throws is reported; that supervisor and the others go on', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h, diagnostics } = host({ stdoutFd: fd, stderrFd: fd });
    const one = makeService(root, 'one', {});
    const two = makeService(root, 'two', {});
    const a = h.add(one, { name: 'one' });
    a.on('state', () => {
      throw new Error('boom');
    });
    const b = h.add(two, { name: 'two' });
    await waitFor(() => readStat(one) === 'run' && readStat(two) === 'run', 'both run');
    a.control('d');
    b.control('d');
    await waitFor(() => readStat(one) === 'down' && readStat(two) === 'down', 'both down');
    expect(diagnostics).toContain('one: warning: state listener failed: boom');
  });

  it('terminateAll ends every supervisor with code 0; ended is told for each and the host forgets them', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h } = host({ stdoutFd: fd, stderrFd: fd });
    const dirs = ['a', 'b', 'c'].map((name) => makeService(root, name, { log: 'exec cat >/dev/null' }));
    for (const dir of dirs) h.add(dir);
    await waitFor(() => h.pids().length === 3 && h.pids().every((p) => p.service > 0 && p.log > 0), 'all run');
    const ended: string[] = [];
    h.on('ended', (sup, end, key) => ended.push(`${sup.name} ${end.code} ${key}`));
    expect(await h.terminateAll()).toEqual([{ code: 0 }, { code: 0 }, { code: 0 }]);
    await waitFor(() => ended.length === 3, 'ended told for each');
    expect(ended.sort()).toEqual(dirs.map((d) => `${d} 0 ${d}`));
    expect(h.supervisors).toEqual([]);
    expect(() => h.add(dirs[0]!)).toThrow(/the host is stopping/);
  });

  it('an ended supervisor has closed every fd it opened (locks, FIFOs, log pipe, dir)', async () => {
    const root = cleanup.tempDir();
    const fd = outputFd(root);
    const { host: h } = host({ stdoutFd: fd, stderrFd: fd });
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    const dirs = ['a', 'b'].map((name) => makeService(root, name, { log: 'exec cat >/dev/null' }));
    for (const dir of dirs) h.add(dir);
    await waitFor(() => h.pids().length === 2 && h.pids().every((p) => p.service > 0 && p.log > 0), 'all run');
    expect(openFds()).toBe(before + 2 * 9); // per service: dir, 2 locks, 2 control (one O_RDWR fd each), 2 ok, 2 pipe ends
    await h.terminateAll();
    expect(openFds()).toBe(before);
  });

  it('stderrFd: every child\'s stderr and every diagnostic go to one fd', async () => {
    const root = cleanup.tempDir();
    const shared = join(root, 'stderr');
    const fd = openSync(shared, 'a');
    cleanup.add(() => closeSync(fd));
    const h = new SupervisorHost({ stderrFd: fd, stdoutFd: fd });
    cleanup.add(async () => {
      for (const sup of h.supervisors) await stopSupervisor(sup);
    });
    const one = makeService(root, 'one', { run: 'echo one-err >&2\nexec sleep 1000', log: 'echo log-err >&2\nexec cat >/dev/null' });
    const two = makeService(root, 'two', { run: 'echo two-err >&2\nexec sleep 1000' });
    writeFileSync(join(two, 'log'), '');
    h.add(one, { name: 'one' });
    h.add(two, { name: 'two' });
    await waitFor(() => lines(shared).length === 4, 'four lines');
    expect(lines(shared).sort()).toEqual(['log-err', 'one-err', 'runsv two: warning: ./log: not a directory.', 'two-err']);
    expect(existsSync(join(two, 'log/supervise'))).toBe(false);
    expect(readPid(one)).toBeGreaterThan(0);
  });
});
