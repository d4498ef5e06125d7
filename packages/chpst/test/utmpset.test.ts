// utmpset: records glibc wrote are logged out so glibc reads them back right, and the files come
// out byte-identical to the reference utmpset's (run in a private mount namespace, so the system's
// /var/run/utmp and /var/log/wtmp are never touched).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup, isAlive, requireRoot, waitFor } from '@runit-ts/test-support';
import { OUR_CHPST, OUR_UTMPSET, PLAIN_PATH, linkAs, run, utmpsetBinary, IMPLEMENTATIONS, type Implementation } from './helpers/commands.js';
import { startSleeper } from './helpers/fixtures.js';
import { UTMP_FIELD, UTMP_RECORD_SIZE } from '../src/utmp-record.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());
/** What lives for the whole file: the compiled glibc helper. */
const suiteCleanup = new Cleanup();
afterAll(() => suiteCleanup.run());

const USAGE = 'usage: utmpset [-w] line\n\n';
const LINE32 = 'abcdefghijklmnopqrstuvwxyz012345';
let helper = '';

beforeAll(() => {
  const dir = suiteCleanup.tempDir('utmp-glibc-');
  helper = join(dir, 'utmp-glibc');
  const source = fileURLToPath(new URL('./fixtures/utmp-glibc.c', import.meta.url));
  const built = spawnSync('cc', ['-o', helper, source], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cannot build the glibc utmp helper: ${built.stderr}`);
});

interface Entry {
  type: number;
  pid: number;
  line: string;
  id: string;
  user: string;
  host: string;
  seconds: number;
  microseconds: number;
}

/** Writes records with glibc's pututline (a fresh file). */
function glibcWrite(file: string, entries: Entry[]): void {
  writeFileSync(file, '');
  for (const e of entries) {
    const args = ['put', file, e.type, e.pid, e.line, e.id, e.user, e.host, e.seconds, e.microseconds].map(String);
    const result = spawnSync(helper, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`utmp-glibc put failed: ${result.stderr}`);
  }
}

/** Reads records back with glibc's getutent. */
function glibcRead(file: string): Entry[] {
  const result = spawnSync(helper, ['dump', file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`utmp-glibc dump failed: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((row) => {
      const [type, pid, line, id, user, host, seconds, microseconds] = row.split('\t');
      return { type: Number(type), pid: Number(pid), line: line!, id: id!, user: user!, host: host!, seconds: Number(seconds), microseconds: Number(microseconds) };
    });
}

const SESSIONS: Entry[] = [
  { type: 7, pid: 100, line: 'tty1', id: '1', user: 'alice', host: 'h1', seconds: 1000, microseconds: 777 },
  { type: 7, pid: 101, line: 'tty2', id: '2', user: '', host: 'h2', seconds: 1000, microseconds: 1 },
  { type: 7, pid: 102, line: 'tty2', id: '3', user: 'bob', host: 'h3', seconds: 1000, microseconds: 5 },
  { type: 7, pid: 103, line: LINE32, id: '6', user: 'carol', host: 'h4', seconds: 1000, microseconds: 9 },
];

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('utmpset and glibc', () => {
  it('logs the line out in place; glibc reads the utmp entry and the wtmp record back', () => {
    const dir = cleanup.tempDir();
    const utmp = join(dir, 'utmp');
    const wtmp = join(dir, 'wtmp');
    glibcWrite(utmp, SESSIONS);
    const before = nowSeconds();
    const outcome = run(OUR_UTMPSET, ['-w', 'tty2'], { cwd: dir, viaSh: true, env: { UTMPSET_UTMP: utmp, UTMPSET_WTMP: wtmp } });
    const after = nowSeconds();
    expect(outcome).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const entries = glibcRead(utmp);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual(SESSIONS[0]);
    expect(entries[1]).toEqual(SESSIONS[1]);
    expect(entries[3]).toEqual(SESSIONS[3]);
    const { seconds, ...rest } = entries[2]!;
    expect(rest).toEqual({ type: 8, pid: 102, line: 'tty2', id: '3', user: '', host: '', microseconds: 5 });
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
    const logged = glibcRead(wtmp);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: 8, pid: 0, line: 'tty2', id: '', user: '', host: '', microseconds: 0 });
    expect(logged[0]!.seconds).toBeGreaterThanOrEqual(before);
  });

  it('says so when no entry with a user has the line (exit 111), and leaves the file alone', () => {
    const dir = cleanup.tempDir();
    const utmp = join(dir, 'utmp');
    glibcWrite(utmp, SESSIONS);
    const original = readFileSync(utmp);
    const outcome = run(OUR_UTMPSET, ['tty9'], { cwd: dir, viaSh: true, env: { UTMPSET_UTMP: utmp, UTMPSET_WTMP: join(dir, 'wtmp') } });
    expect(outcome).toMatchObject({ code: 111, stderr: 'utmpset: warning: unable to logout line tty9 in utmp: no such entry\n' });
    expect(readFileSync(utmp)).toEqual(original);
    expect(existsSync(join(dir, 'wtmp'))).toBe(false);
  });

  it('UTMPSET_UTMP names the file in its messages; without it, /var/run/utmp', () => {
    const dir = cleanup.tempDir();
    const outcome = run(OUR_UTMPSET, ['tty1'], { cwd: dir, viaSh: true, env: { UTMPSET_UTMP: join(dir, 'missing') } });
    expect(outcome).toMatchObject({ code: 111, stderr: `utmpset: fatal: unable to open ${join(dir, 'missing')}: file does not exist\n` });
  });

  it('waits for the utmp file\'s flock', async () => {
    const dir = cleanup.tempDir();
    const utmp = join(dir, 'utmp');
    glibcWrite(utmp, SESSIONS);
    const holder = await startSleeper(cleanup, OUR_CHPST, ['-L', utmp], dir);
    const child = spawn(OUR_UTMPSET, ['tty1'], { cwd: dir, env: { UTMPSET_UTMP: utmp }, stdio: 'ignore' });
    cleanup.killLater(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waiting = () => readFileSync('/proc/locks', 'utf8').split('\n').some((line) => line.includes('->') && line.split(/\s+/).includes(String(child.pid)));
    await waitFor(waiting, 'utmpset to wait for the lock', 20_000);
    expect(glibcRead(utmp)[0]!.user).toBe('alice');
    process.kill(holder, 'SIGTERM');
    await waitFor(() => !isAlive(holder), 'the lock holder to end');
    expect(await exited).toBe(0);
    expect(glibcRead(utmp)[0]).toMatchObject({ type: 8, user: '' });
  });
});

interface NamespaceRun {
  code: number;
  stdout: string;
  stderr: string;
  utmp?: Buffer;
  wtmp?: Buffer;
  before: number;
  after: number;
}

/**
 * Runs `utmpset args` with a private tmpfs on /run and /var/log (a mount namespace), the given utmp
 * and wtmp copied in first; called by PATH as `utmpset`, so the reference prints that name.
 */
function inNamespace(implementation: Implementation, args: string[], files: { utmp?: Buffer; wtmpIsDir?: boolean }): NamespaceRun {
  const dir = cleanup.tempDir(`utmpset-${implementation}-`);
  linkAs(join(dir, 'bin'), 'utmpset', utmpsetBinary(implementation));
  if (files.utmp) writeFileSync(join(dir, 'utmp.in'), files.utmp);
  if (files.wtmpIsDir) mkdirSync(join(dir, 'wtmp.dir'));
  const script = [
    'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/log || exit 99',
    '[ -f "$D/utmp.in" ] && cp "$D/utmp.in" /var/run/utmp',
    '[ -d "$D/wtmp.dir" ] && mkdir /var/log/wtmp',
    'PATH="$D/bin:$PATH" utmpset "$@" >"$D/stdout" 2>"$D/stderr"; echo $? >"$D/code"',
    '[ -f /var/run/utmp ] && cp /var/run/utmp "$D/utmp.out"',
    '[ -f /var/log/wtmp ] && cp /var/log/wtmp "$D/wtmp.out"',
    'exit 0',
  ].join('\n');
  const before = nowSeconds();
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...args], {
    encoding: 'utf8',
    env: { PATH: PLAIN_PATH, D: dir },
    timeout: 60_000,
  });
  const after = nowSeconds();
  if (result.status !== 0) throw new Error(`unshare failed (${result.status}): ${result.stderr}`);
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined);
  return {
    code: Number(readFileSync(join(dir, 'code'), 'utf8')),
    stdout: readFileSync(join(dir, 'stdout'), 'utf8'),
    stderr: readFileSync(join(dir, 'stderr'), 'utf8'),
    utmp: read('utmp.out'),
    wtmp: read('wtmp.out'),
    before,
    after,
  };
}

/** Each record's seconds, checked to lie within the run, then zeroed so files compare byte for byte. */
function maskSeconds(file: Buffer | undefined, run: NamespaceRun, original?: Buffer): Buffer | undefined {
  if (!file) return undefined;
  const copy = Buffer.from(file);
  for (let offset = 0; offset + UTMP_RECORD_SIZE <= copy.length; offset += UTMP_RECORD_SIZE) {
    const at = offset + UTMP_FIELD.seconds.offset;
    const seconds = copy.readUInt32LE(at);
    if (original && original.length > at && original.readUInt32LE(at) === seconds) continue;
    expect(seconds).toBeGreaterThanOrEqual(run.before);
    expect(seconds).toBeLessThanOrEqual(run.after);
    copy.writeUInt32LE(0, at);
  }
  return copy;
}

describe('utmpset against the reference utmpset', () => {
  let sessions: Buffer;
  beforeAll(() => {
    const dir = suiteCleanup.tempDir();
    glibcWrite(join(dir, 'utmp'), SESSIONS);
    sessions = readFileSync(join(dir, 'utmp'));
    expect(sessions.length).toBe(SESSIONS.length * UTMP_RECORD_SIZE);
  });

  interface UtmpsetCase {
    name: string;
    args: string[];
    utmp?: 'sessions';
    wtmpIsDir?: boolean;
    /** What the reference (Debian's 2.1.2) gives, and ours too unless `newer` says otherwise. */
    code: number;
    stderr: string;
    /** Where ours follows runit 2.3.0 on purpose: its code and message, and both files left alone. */
    newer?: { runit: '2.3.0'; code: number; stderr: string };
  }
  const cases: UtmpsetCase[] = [
    { name: 'no arguments', args: [], code: 1, stderr: USAGE },
    { name: '-V', args: ['-V'], code: 1, stderr: `$Id: cb399098f794012a7f5e6a3a7090b2d53b86c08c $\n${USAGE}` },
    { name: 'an unknown option', args: ['-x', 'tty1'], code: 1, stderr: `utmpset: illegal option -- x\n${USAGE}` },
    { name: 'no utmp file', args: ['tty1'], code: 111, stderr: 'utmpset: fatal: unable to open /var/run/utmp: file does not exist\n' },
    { name: 'log out tty2 (skipping the entry without a user)', args: ['tty2'], utmp: 'sessions', code: 0, stderr: '' },
    { name: '-w: also append to wtmp', args: ['-w', 'tty2'], utmp: 'sessions', code: 0, stderr: '' },
    { name: 'no such entry', args: ['-w', 'tty9'], utmp: 'sessions', code: 111, stderr: 'utmpset: warning: unable to logout line tty9 in utmp: no such entry\n' },
    { name: 'a full 32-byte line does not end where the name does', args: [LINE32], utmp: 'sessions', code: 111, stderr: `utmpset: warning: unable to logout line ${LINE32} in utmp: no such entry\n` },
    {
      name: 'a 33-byte name: 2.1.2 matches it with a 32-byte line running into ut_id and writes 30 bytes to wtmp',
      args: ['-w', `${LINE32}6`],
      utmp: 'sessions',
      code: 0,
      stderr: '',
      newer: { runit: '2.3.0', code: 111, stderr: `utmpset: fatal: unable to logout line ${LINE32}6 in utmp: name too long\n` },
    },
    { name: 'wtmp is a directory', args: ['-w', 'tty1'], utmp: 'sessions', wtmpIsDir: true, code: 111, stderr: 'utmpset: fatal: unable to open /var/log/wtmp: is a directory\n' },
  ];

  for (const testCase of cases) {
    const name = testCase.newer ? `${testCase.name} (ours as runit ${testCase.newer.runit}, the reference as 2.1.2)` : testCase.name;
    it(name, () => {
      requireRoot('utmpset interop (mount namespace)');
      const utmp = testCase.utmp ? sessions : undefined;
      const [ours, runit] = IMPLEMENTATIONS.map((implementation) => inNamespace(implementation, testCase.args, { utmp, wtmpIsDir: testCase.wtmpIsDir }));
      expect(runit!.code).toBe(testCase.code);
      expect(runit!.stderr).toBe(testCase.stderr);
      if (testCase.newer) {
        expect({ code: ours!.code, stdout: ours!.stdout, stderr: ours!.stderr }).toEqual({ code: testCase.newer.code, stdout: '', stderr: testCase.newer.stderr });
        expect(ours!.utmp).toEqual(utmp);
        expect(ours!.wtmp).toBeUndefined();
        if (testCase.code === 0) expect(runit!.utmp).not.toEqual(utmp);
        return;
      }
      expect({ code: ours!.code, stdout: ours!.stdout, stderr: ours!.stderr }).toEqual({ code: runit!.code, stdout: runit!.stdout, stderr: runit!.stderr });
      expect(maskSeconds(ours!.utmp, ours!, utmp)).toEqual(maskSeconds(runit!.utmp, runit!, utmp));
      expect(maskSeconds(ours!.wtmp, ours!)).toEqual(maskSeconds(runit!.wtmp, runit!));
      if (testCase.code === 0) expect(ours!.utmp).not.toEqual(utmp);
    });
  }
});
