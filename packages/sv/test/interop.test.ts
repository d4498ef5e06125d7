// The core interop check: the REAL sv and ours, run with the same arguments against the same kind
// of service supervised by a REAL runsv, print the same stdout and stderr and exit the same way
// (after normalising pids, seconds and the temp dir). One line per scenario.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeStatus, tai64nNow } from '@runit-ts/protocol';
import { Cleanup, commandForNobody, NOBODY, nodeDirForNobody, referenceBinary, requireRoot } from '@runit-ts/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOutcome, OUR_SV, runSvBinary, type Outcome } from './helpers/run-sv.js';
import {
  control,
  FOREVER,
  IGNORE_TERM,
  makeService,
  settle,
  superviseUntil,
  superviseWith,
  waitForExec,
  waitForStat,
  type ServiceSpec,
} from './helpers/services.js';

interface Setup extends ServiceSpec {
  /** runsv's part: running (default), gone (ran, then exited), never (no supervise/ at all). */
  runsv?: 'running' | 'gone' | 'never';
  /** Before runsv starts. */
  before?: (dir: string) => void;
  /** The first state to wait for (default: down with a down file, else run). */
  state?: string;
  /** Once runsv runs and the service reached its first state. */
  then?: (dir: string) => Promise<void> | void;
  /** Start sv in a later second than the status stamp (see settle()). */
  settle?: boolean;
}

interface Scenario {
  title: string;
  services?: Record<string, Setup>;
  /** `$DIR` is replaced by the scenario's temp dir (also the cwd, and SVDIR unless env says so). */
  args: string[];
  /** Defaults: SVDIR=$DIR, SVWAIT=30; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Invoke through a symlink $DIR/init.d/<lsb> (LSB init-script mode). */
  lsb?: string;
  /** Run sv as the user nobody (the services are root's, as usual). */
  asNobody?: boolean;
  /** Run sv in this new subdir of $DIR, made with this mode. */
  cwd?: { name: string; mode: number };
  /**
   * A documented difference (docs/commands/sv.md): what the reference (Debian's runit 2.1.2) prints
   * and what we print instead; `since` when ours follows that newer runit there, else ours alone.
   */
  deviation?: { runit: Partial<Outcome>; ours: Partial<Outcome>; since?: '2.3.0' };
}

// --- service set-ups -------------------------------------------------------------------------
const up: Setup = {};
const logged: Setup = { log: true };
const normallyDown: Setup = { down: true };
const settled = (spec: Setup): Setup => ({ ...spec, settle: true });
const after = (bytes: string, stat: string, spec: Setup = {}): Setup => ({
  ...spec,
  then: async (dir) => {
    control(dir, bytes);
    await waitForStat(dir, stat);
    if (stat.startsWith('run')) await waitForExec(dir);
  },
});
const stopped = after('d', 'down');
const gone: Setup = { runsv: 'gone' };
/** Ignores the signals of h a i q 1 2, so they cannot end it (and race sv's status read). */
const signalProof: Setup = { run: "trap '' HUP ALRM INT QUIT USR1 USR2\nexec sleep 1000" };
const never: Setup = { runsv: 'never' };
const statusFile = (bytes: Uint8Array | string, spec: Setup = {}): Setup => ({
  ...spec,
  then: (dir) => writeFileSync(join(dir, 'supervise', 'status'), bytes),
});
const wantUpButDown = statusFile(encodeStatus({ stamp: tai64nNow(), pid: 0, paused: false, wantUp: true, gotTerm: false, state: 'down' }));
const garbage = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 7, 120, 2, 9]);
const checked = (check: string): Setup => ({ check });
const missingManyNames = Array.from({ length: 120 }, (_, i) => `./missing-${i}`);

// prettier-ignore
const SCENARIOS: Scenario[] = [
  // status lines
  { title: 'status: a service and its log, bare name under SVDIR', services: { a: logged }, args: ['status', 'a'] },
  { title: 'status: no log, ./name', services: { a: up }, args: ['status', './a'] },
  { title: 'status: absolute name', services: { a: logged }, args: ['status', '$DIR/a'] },
  { title: 'status: down after sv down (normally up)', services: { a: stopped }, args: ['status', './a'] },
  { title: 'status: normally down, not started', services: { a: normallyDown }, args: ['status', './a'] },
  { title: 'status: normally down but running', services: { a: after('u', 'run', normallyDown) }, args: ['status', './a'] },
  { title: 'status: paused', services: { a: after('p', 'run, paused') }, args: ['status', './a'] },
  { title: 'status: want up while down', services: { a: wantUpButDown }, args: ['status', './a'] },
  { title: 'status: TERM ignored: want down, got TERM', services: { a: after('d', 'run, got TERM, want down', { run: IGNORE_TERM }) }, args: ['status', './a'] },
  { title: 'status: finish running', services: { a: { run: 'exit 0', finish: FOREVER, state: 'finish' } }, args: ['status', './a'] },
  { title: 'status: several services at once', services: { a: logged, b: normallyDown, c: stopped }, args: ['status', 'a', './b', '$DIR/c', 'missing'] },
  { title: 'status: any word starting with s', services: { a: logged }, args: ['sxyz', 'a'] },
  { title: 'status: -v is ignored', services: { a: up }, args: ['-v', 'status', './a'] },
  { title: 'status: log is a file', services: { a: { before: (d) => writeFileSync(join(d, 'log'), '') } }, args: ['status', './a'] },
  { title: 'status: down is a symlink loop', services: { a: { then: (d) => symlinkSync('down', join(d, 'down')) } }, args: ['status', './a'] },
  { title: 'status: short status file', services: { a: statusFile('short') }, args: ['status', './a'] },
  { title: 'status: empty status file', services: { a: statusFile('') }, args: ['status', './a'] },
  { title: 'status: 20 bytes of garbage', services: { a: statusFile(garbage) }, args: ['status', './a'] },
  { title: 'status: status file longer than 20 bytes', services: { a: statusFile(new Uint8Array(30)) }, args: ['status', './a'] },
  { title: 'status: status file is a directory', services: { a: { then: (d) => { rmSync(join(d, 'supervise', 'status')); mkdirSync(join(d, 'supervise', 'status')); } } }, args: ['status', './a'] },
  { title: 'status: runsv gone', services: { a: gone }, args: ['status', './a'] },
  { title: 'status: never supervised', services: { a: never }, args: ['status', './a'] },
  { title: 'status: missing dir', args: ['status', 'nope', './nope', '/nonexistent/x'] },
  { title: 'status: not a directory', services: { a: up }, args: ['status', './a/run', 'a/run'] },
  { title: 'status: empty name', args: ['status', ''] },
  { title: 'status: failures stop counting at 99', args: ['status', ...missingManyNames] },
  // control and waiting
  { title: 'up: nothing printed without -v', services: { a: normallyDown }, args: ['up', './a'] },
  { title: '-v up a normally-down service', services: { a: normallyDown }, args: ['-v', 'up', './a'] },
  { title: '-v down', services: { a: logged }, args: ['-v', 'down', 'a'] },
  { title: '-v down of a once-started service is sent', services: { a: after('o', 'run, want down', normallyDown) }, args: ['-v', 'down', './a'] },
  { title: '-v once', services: { a: settled(normallyDown) }, args: ['-v', 'once', './a'] },
  { title: '-v pause then status', services: { a: up }, args: ['-v', 'pause', './a'] },
  { title: '-v cont', services: { a: after('p', 'run, paused') }, args: ['-v', 'cont', './a'] },
  { title: '-v hup', services: { a: signalProof }, args: ['-v', 'hup', './a'] },
  ...['alarm', 'interrupt', 'quit', '1', '2'].map((word): Scenario => ({ title: `-v ${word}`, services: { a: signalProof }, args: ['-v', word, './a'] })),
  { title: '-v term restarts', services: { a: settled(up) }, args: ['-v', 'term', './a'] },
  { title: 'restart', services: { a: settled(up) }, args: ['restart', './a'] },
  { title: 'try-restart', services: { a: settled(up) }, args: ['try-restart', './a'] },
  { title: 'reload', services: { a: signalProof }, args: ['reload', './a'] },
  { title: 'start', services: { a: normallyDown }, args: ['start', './a'] },
  { title: 'stop', services: { a: up }, args: ['stop', './a'] },
  { title: 'check of a running service', services: { a: checked('exit 0') }, args: ['check', './a'] },
  { title: 'check of a service wanted down and down: done at once', services: { a: normallyDown }, args: ['check', './a'] },
  { title: 'shutdown waits for runsv to exit', services: { a: logged }, args: ['shutdown', './a'] },
  { title: '-v exit', services: { a: up }, args: ['-v', 'exit', './a'] },
  { title: 'exit without runsv is ok', services: { a: gone }, args: ['exit', './a'] },
  { title: '-v e without runsv is ok', services: { a: gone }, args: ['-v', 'e', './a'] },
  { title: 'down without runsv fails', services: { a: gone }, args: ['-v', 'down', './a'] },
  { title: 'up never supervised', services: { a: never }, args: ['up', './a'] },
  { title: 'up of a missing dir', args: ['-v', 'up', './nope', 'nope'] },
  { title: '-w 1 up with a failing check: timeout', services: { a: checked('exit 1') }, args: ['-w', '1', 'up', './a'] },
  { title: 'start with a passing check', services: { a: checked('exit 0') }, args: ['start', './a'] },
  { title: 'check writes to its closed stdout', services: { a: checked('echo checking 2>/dev/null') }, args: ['-w1', 'up', './a'] },
  { title: 'check killed by a signal passes', services: { a: checked('kill -9 $$') }, args: ['-w1', 'up', './a'] },
  { title: 'check without #! cannot run: warning, pass', services: { a: checked('!raw:exit 1\n') }, args: ['-w1', 'up', './a'] },
  { title: 'check not executable: warning, pass', services: { a: { then: (d) => { writeFileSync(join(d, 'check'), 'exit 1\n'); chmodSync(join(d, 'check'), 0o644); } } }, args: ['-w1', 'up', './a'] },
  { title: 'check reads the environment', services: { a: checked('test "$CHECKME" = yes') }, args: ['-w1', 'up', './a'], env: { CHECKME: 'yes' } },
  { title: 'force-stop of a service ignoring TERM: kill', services: { a: { run: IGNORE_TERM } }, args: ['-w', '1', 'force-stop', './a'] },
  { title: 'force-shutdown of a service ignoring TERM', services: { a: { run: IGNORE_TERM } }, args: ['-w', '1', 'force-shutdown', './a'] },
  { title: 'force-restart', services: { a: settled(up) }, args: ['force-restart', './a'] },
  { title: 'force-reload', services: { a: settled(up) }, args: ['force-reload', './a'] },
  { title: 'Down (undocumented D): kill on timeout', services: { a: { run: IGNORE_TERM } }, args: ['-w', '1', 'Down', './a'] },
  { title: 'Term (undocumented T)', services: { a: settled(up) }, args: ['Term', './a'] },
  { title: 'Exit (undocumented E)', services: { a: up }, args: ['Exit', './a'] },
  { title: 'first letter only: upxyz', services: { a: normallyDown }, args: ['-v', 'upxyz', './a'] },
  { title: 'first letter only: kill', services: { a: up }, args: ['-v', 'k', './a'] },
  // a ./finish that takes 0.2 s keeps both from being down at sv's first look, right after the
  // commands, so they come down in the same round and print in argument order (not in whichever
  // order a loaded machine took them down)
  { title: 'several services, one missing, -v down', services: { a: { finish: 'sleep 0.2' }, b: { ...logged, finish: 'sleep 0.2' } }, args: ['-v', 'down', './a', 'b', './c'] },
  { title: 'absent control FIFO', services: { a: { down: true, then: (d) => rmSync(join(d, 'supervise', 'control')) } }, args: ['up', './a'] },
  { title: 'control FIFO replaced by a directory', services: { a: { down: true, then: (d) => { rmSync(join(d, 'supervise', 'control')); mkdirSync(join(d, 'supervise', 'control')); } } }, args: ['up', './a'] },
  // options and environment
  { title: 'usage: no arguments', args: [] },
  { title: 'usage: no service', args: ['status'] },
  { title: 'usage: -V', args: ['-V'] },
  { title: 'usage: -V after -v', args: ['-vV', 'status', 'a'] },
  { title: 'usage: unknown option', args: ['-z', 'status', 'a'] },
  { title: 'usage: -w without a value', args: ['-w'] },
  { title: 'usage: unknown first letters', args: ['zap', 'a'] },
  { title: 'usage: r and f words must be whole', args: ['rerun', 'a'] },
  { title: 'usage: force-other', args: ['force-other', 'a'] },
  { title: 'usage: C is not check', args: ['C', 'a'] },
  { title: 'usage: U is not up', args: ['U', 'a'] },
  { title: 'usage: empty command', args: ['', 'a'] },
  { title: 'usage: a lone dash is the command', args: ['-', 'a'] },
  { title: '-- ends the options', services: { a: up }, args: ['--', 'status', './a'] },
  { title: '-w garbage reads as 0', services: { a: checked('exit 1') }, args: ['-wfoo', 'up', './a'] },
  { title: 'default wait: 7 s', services: { a: checked('exit 1') }, args: ['-v', 'up', './a'], env: { SVWAIT: undefined } },
  { title: 'SVWAIT sets the wait', services: { a: checked('exit 1') }, args: ['-v', 'up', './a'], env: { SVWAIT: '1' } },
  { title: 'SVWAIT garbage reads as 0', services: { a: checked('exit 1') }, args: ['-v', 'up', './a'], env: { SVWAIT: 'x5' } },
  { title: '-w overrides SVWAIT', services: { a: checked('exit 1') }, args: ['-w', '0', 'up', './a'], env: { SVWAIT: '100' } },
  { title: 'SVDIR: another dir', services: { a: up }, args: ['status', 'a'], env: { SVDIR: '$DIR/a/..' } },
  { title: 'SVDIR: missing', services: { a: up }, args: ['status', 'a', './a'], env: { SVDIR: '$DIR/nowhere' } },
  { title: 'SVDIR: empty', services: { a: up }, args: ['status', 'a'], env: { SVDIR: '' } },
  { title: 'SVDIR: unset (default dir)', args: ['status', 'runit-ts-no-such-service'], env: { SVDIR: undefined } },
  { title: 'trailing slash: relative for the command, under SVDIR when waiting', services: { a: up }, args: ['-v', 'up', 'a/'], env: { SVDIR: '$DIR/elsewhere' } },
  // LSB init-script mode
  { title: 'LSB: status of a running service', services: { a: up }, lsb: 'a', args: ['status'] },
  { title: 'LSB: status of a down service', services: { a: normallyDown }, lsb: 'a', args: ['status'] },
  { title: 'LSB: status, runsv gone', services: { a: gone }, lsb: 'a', args: ['status'] },
  { title: 'LSB: status, never supervised', services: { a: never }, lsb: 'a', args: ['status'] },
  { title: 'LSB: status of a missing service', lsb: 'nosuch', args: ['status'] },
  { title: 'LSB: extra arguments are ignored', services: { a: up }, lsb: 'a', args: ['status', 'b', 'c'] },
  { title: 'LSB: usage', lsb: 'a', args: [] },
  { title: 'LSB: s words other than status', lsb: 'a', args: ['sxyz'] },
  { title: 'LSB: -V', lsb: 'a', args: ['-V'] },
  { title: 'LSB: unknown option', lsb: 'a', args: ['-z', 'status'] },
  { title: 'LSB: start', services: { a: normallyDown }, lsb: 'a', args: ['start'] },
  { title: 'LSB: stop', services: { a: up }, lsb: 'a', args: ['stop'] },
  { title: 'LSB: start with a failing check times out', services: { a: checked('exit 1') }, lsb: 'a', args: ['-w', '1', 'start'] },
  { title: 'LSB: force-stop of a service ignoring TERM', services: { a: { run: IGNORE_TERM } }, lsb: 'a', args: ['-w', '1', 'force-stop'] },
  // as an ordinary user
  { title: 'as a user: an unreadable current directory is fatal', asNobody: true, cwd: { name: 'noread', mode: 0o311 }, args: ['status', 'a'] },
  { title: 'as a user: LSB fatal is 151', asNobody: true, cwd: { name: 'noread', mode: 0o311 }, lsb: 'a', args: ['status'] },
  { title: 'as a user: a service dir without search permission', asNobody: true, services: { a: { then: (d) => chmodSync(d, 0o744) } }, args: ['status', './a', 'a'] },
  { title: 'as a user: supervise/ is root\'s', asNobody: true, services: { a: up }, args: ['-v', 'up', './a'] },
  // documented differences (docs/commands/sv.md, "Differences from runit")
  {
    title: 'LSB: status follows the main service, not its log',
    services: { a: { log: true, down: true } }, lsb: 'a', args: ['status'],
    deviation: { runit: { code: 0 }, ours: { code: 3 }, since: '2.3.0' },
  },
  {
    title: 'check of a service wanted up but down waits for it to be up',
    services: { a: wantUpButDown }, args: ['-w', '1', 'check', './a'],
    deviation: {
      runit: { stdout: 'ok: down: ./a: Ns, normally up, want up\n', code: 0 },
      ours: { stdout: 'timeout: down: ./a: Ns, normally up, want up\n', code: 1 },
      since: '2.3.0',
    },
  },
  {
    title: 'check of a running service wanted down waits for it to be down',
    services: { a: after('o', 'run, want down', normallyDown) }, args: ['-w', '1', 'check', './a'],
    deviation: {
      runit: { stdout: 'ok: run: ./a: (pid N) Ns, normally down, want down\n', code: 0 },
      ours: { stdout: 'timeout: run: ./a: (pid N) Ns, normally down, want down\n', code: 1 },
      since: '2.3.0',
    },
  },
  {
    title: 'status: log/ without supervise/: no stale second line',
    services: { a: { then: (d) => mkdirSync(join(d, 'log')) } }, args: ['status', './a'],
    deviation: {
      runit: { stdout: 'run: ./a: (pid N) Ns; warning: ./a/log: unable to open supervise/ok: file does not exist\nrun: log: (pid N) Ns\n' },
      ours: { stdout: 'run: ./a: (pid N) Ns; warning: ./a/log: unable to open supervise/ok: file does not exist\n' },
    },
  },
  {
    title: 'check: a script sees $0 = ./check, not check',
    services: { a: checked('echo "$0" >&2') }, args: ['-w1', 'up', './a'],
    deviation: { runit: { stderr: 'check\n' }, ours: { stderr: './check\n' } },
  },
  {
    title: 'a --long option is refused, not read as --',
    services: { a: up }, args: ['--foo', 'status', './a'],
    deviation: { runit: { code: 0 }, ours: { stdout: '', stderr: 'sv: illegal option -- --foo\nusage: sv [-v] [-w sec] command service ...\n\n', code: 100 } },
  },
];

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const expand = (text: string, dir: string): string => text.split('$DIR').join(dir);

async function prepare(dir: string, scenario: Scenario, runs: Cleanup): Promise<void> {
  for (const [name, setup] of Object.entries(scenario.services ?? {})) {
    const svc = makeService(join(dir, name), setup);
    setup.before?.(svc);
    if (setup.runsv === 'never') continue;
    const firstState = setup.state ?? (setup.down ? 'down' : 'run');
    const runsv = await superviseUntil(runs, svc, firstState);
    if (setup.runsv === 'gone') {
      control(svc, 'x');
      await runsv.exited;
      continue;
    }
    await setup.then?.(svc);
    if (setup.settle) await settle(svc);
  }
}

/** Sets the scenario up afresh in a new temp dir, runs one sv, tears everything down. */
async function runScenario(binary: string, scenario: Scenario): Promise<Outcome> {
  const runs = new Cleanup();
  cleanup.add(() => runs.run());
  const dir = runs.tempDir('sv-interop-');
  await prepare(dir, scenario, runs);
  // A long default wait, so that a heavily loaded machine cannot turn a success into a timeout.
  const env: Record<string, string | undefined> = { SVDIR: dir, SVWAIT: '30' };
  for (const [key, value] of Object.entries(scenario.env ?? {})) env[key] = value === undefined ? undefined : expand(value, dir);
  const args = scenario.args.map((arg) => expand(arg, dir));
  let cwd = dir;
  if (scenario.cwd) {
    cwd = join(dir, scenario.cwd.name);
    mkdirSync(cwd, { mode: scenario.cwd.mode });
    chmodSync(cwd, scenario.cwd.mode);
  }
  let command = binary;
  if (scenario.asNobody) {
    requireRoot('running sv as nobody');
    chmodSync(dir, 0o755);
    // The checkout may be in a directory only root can enter: nobody runs copies, with a node it can run.
    command = commandForNobody(runs, binary);
    env.PATH = `${nodeDirForNobody(runs)}:${process.env.PATH}`;
  }
  const outcome = runSvBinary(command, args, { cwd, env, lsbName: scenario.lsb, uid: scenario.asNobody ? NOBODY : undefined });
  await runs.run();
  return normaliseOutcome(outcome, dir);
}

function compareSvs(scenarios: Scenario[]): void {
  for (const scenario of scenarios) {
    const since = scenario.deviation?.since;
    it(since ? `${scenario.title} (ours as runit ${since}, the reference as 2.1.2)` : scenario.title, async () => {
      const runit = await runScenario(referenceBinary('sv'), scenario);
      const ours = await runScenario(OUR_SV, scenario);
      if (scenario.deviation) {
        expect(runit).toMatchObject(scenario.deviation.runit);
        expect(ours).toEqual({ ...runit, ...scenario.deviation.ours });
      } else {
        expect(ours).toEqual(runit);
      }
    }, 60_000);
  }
}

describe('our sv prints what the real sv prints, against a real runsv', () => {
  compareSvs(SCENARIOS);
});

// Our whole client/supervisor pair: the same comparison with OUR runsv supervising, for the
// scenarios where a runsv is running (the others do not depend on which runsv it is).
const OUR_RUNSV = fileURLToPath(new URL('../../../node_modules/.bin/runsv', import.meta.url));
const WITH_RUNNING_RUNSV = SCENARIOS.filter(
  (s) => s.services && Object.values(s.services).every((setup) => (setup.runsv ?? 'running') === 'running'),
);

describe('our sv prints what the real sv prints, against OUR runsv', () => {
  beforeAll(() => superviseWith(() => OUR_RUNSV));
  afterAll(() => superviseWith(() => referenceBinary('runsv')));
  compareSvs(WITH_RUNNING_RUNSV);
});
