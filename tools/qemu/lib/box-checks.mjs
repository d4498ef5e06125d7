// What the test box (tools/qemu/box) must print on the serial console for one boot, and the check
// of a console against it: runit's own lines and the box's markers in order, sv's status lines, the
// orphans reaped and no zombie left in stage 2, the logger's lines, and no warning from our tools.
import { KERNEL_LINES } from './ending.mjs';

/** How many orphans the checker service leaves to PID 1 (tools/qemu/box/etc/service/checker/run). */
export const ORPHANS = 300;

const PID = String.raw`\(pid \d+\) \d+s`;
const SVLOGD_STAMP = String.raw`\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5}`;
const LOG_LINE = new RegExp(`^box: log: ${SVLOGD_STAMP} ticker line (\\d+)$`, 'gm');
const REPORT = /^- runit: report: stage 2, (\d+) orphans reaped, rss \d+ kB\.$/m;
// Complaints of runit and of our commands (stage scripts, services and loggers all share the console).
const COMPLAINT = /^(?:- runit: (?:warning|fatal)|(?:runsvdir|runsv|svlogd|sv|chpst|init|runit-halt)\b.*\b(?:warning|fatal):|box: FAIL).*$/gm;

const line = (text) => new RegExp(`^${text}$`, 'm');
const runit = (text) => line(`- runit: ${text}`);

// The ticker's supervisor per runsvdir mode: the service host's process title, or the argv of a
// runsv process (runsvdir finds @runit-ts/supervisor's bundle as in an npm installation and runs it
// with node, by the path the launcher's shell found, and the daemons' flags).
const SUPERVISOR = {
  host: 'runsvdir-host /etc/service',
  process: String.raw`/usr/bin/node( --\S+)* /usr/lib/runit-ts/node_modules/@runit-ts/supervisor/dist/runsv\.cjs ticker`,
};

// What became of the ticker's svlogd: runsv processes never offer the hand-off; the service host
// offers it, and a handed-off svlogd stays the host's unreaped child (docs/decisions/0008).
const LOGGER = {
  host: String.raw`(handed to its supervisor \(pid \d+ unreaped\)|a process of its own \(pid \d+\))`,
  process: String.raw`a process of its own \(pid \d+\)`,
};

/**
 * The console lines a boot must show, in this order, when the box ends with `runit-init LEVEL`
 * (0 or 6) and runsvdir hosts its supervisors in `mode` ('host' or 'process'). An array is a group
 * of lines that may come in any order among themselves.
 */
export function expectedLines(level, mode) {
  const reboot = level === 6;
  return [
    runit(String.raw`\$Id: runit-ts \S+ \$: booting\.`),
    runit('enter stage: /etc/runit/1'),
    line(String.raw`box: stage 1: mounted .*\bproc sysfs devtmpfs tmpfs ?`),
    // runit-init exec'd runit: PID 1 is node running the runit bundle.
    line(String.raw`box: stage 1: pid 1 is /usr/bin/node \S+/init/dist/runit\.cjs ?`),
    runit('leave stage: /etc/runit/1'),
    runit('enter stage: /etc/runit/2'),
    line('box: stage 2: runsvdir'),
    line(`box: sv status: run: /etc/service/ticker: ${PID}; run: log: ${PID}`),
    line(`box: ticker's supervisor: ${SUPERVISOR[mode]}`),
    line(`box: orphans: ${ORPHANS} sleeps with parent pid 1`),
    line(String.raw`box: orphans: 0 left \d+ s after kill`),
    line('box: zombies: 0'),
    line(`box: ticker's logger: ${LOGGER[mode]}`),
    // Signals reach runit in the order sent: the report comes before runit-init's SIGCONT is acted
    // on, but may follow the checker's own line.
    [REPORT, line(`box: runit-init ${level}`)],
    runit('leave stage: /etc/runit/2'),
    runit('enter stage: /etc/runit/3'),
    line('box: stage 3: stopping services'),
    // sv -w says ok for each service as it goes down, in any order, without its log's status (as
    // runit's sv does).
    [
      line(String.raw`ok: down: /etc/service/checker: \d+s, normally up`),
      line(String.raw`ok: down: /etc/service/ticker: \d+s, normally up`),
    ],
    line('box: stage 3: log closed, current mode 744'),
    line(`box: log: ${SVLOGD_STAMP} ticker line 1`),
    line('box: stage 3: done'),
    runit('leave stage: /etc/runit/3'),
    runit(String.raw`sending KILL signal to all processes\.\.\.`),
    reboot ? runit(String.raw`system reboot\.`) : runit(String.raw`power off\.\.\.`),
    line(String.raw`\[ *[0-9.]+\] ${reboot ? KERNEL_LINES.reboot : KERNEL_LINES.poweroff}`),
  ];
}

/**
 * The first pattern missing or out of order, or undefined when all are there in order. Each entry
 * is a pattern, or an array of patterns that must all match after the previous entry, in any order
 * among themselves; the next entry is looked for after the last of them.
 */
export function firstMissing(consoleText, entries) {
  let from = 0;
  for (const entry of entries) {
    let end = from;
    for (const pattern of Array.isArray(entry) ? entry : [entry]) {
      const match = pattern.exec(consoleText.slice(from));
      if (match === null) return pattern;
      end = Math.max(end, from + match.index + match[0].length);
    }
    from = end;
  }
  return undefined;
}

/** Every problem with a boot's console, as sentences; empty when it shows a good boot. */
export function consoleProblems(consoleText, level, mode) {
  const problems = [];
  const missing = firstMissing(consoleText, expectedLines(level, mode));
  if (missing !== undefined) problems.push(`console line missing or out of order: ${missing}`);

  const reaped = REPORT.exec(consoleText);
  if (reaped !== null && Number(reaped[1]) < ORPHANS) {
    problems.push(`runit reports ${reaped[1]} orphans reaped in stage 2, fewer than the ${ORPHANS} left to it`);
  }

  // The logger got every line the ticker wrote, in order: 1, 2, 3…, at least two of them.
  const numbers = [...consoleText.matchAll(LOG_LINE)].map((match) => Number(match[1]));
  if (numbers.length < 2 || numbers.some((number, index) => number !== index + 1)) {
    problems.push(`the log dir's lines are not ticker lines 1..N (N >= 2): got [${numbers.join(', ')}]`);
  }

  const complaints = consoleText.match(COMPLAINT) ?? [];
  if (complaints.length > 0) problems.push(`complaints on the console:\n    ${complaints.join('\n    ')}`);
  return problems;
}

/** The lines worth showing for a passed boot: the box's markers, runit's lines, sv's, the kernel's end. */
export function proofLines(consoleText) {
  return consoleText
    .split('\n')
    .filter((text) => /^(?:box: |- runit: |ok: )/.test(text) || text.includes('] reboot: '));
}
