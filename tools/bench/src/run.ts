// `npm run bench [-- --quick] [--only name,…] [--out DIR] [--render results.json]`: runs every scenario
// beside the real runit and writes docs/benchmarks.md and docs/benchmarks.svg.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Cleanup } from '@runit-ts/test-support';
import { cpuSnapshot, otherWorkShare } from './machine-load.js';
import { renderChart, renderMarkdown, type MachineInfo, type ReportOptions, type ReportSection } from './report.js';
import type { BenchContext } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const REFERENCE_DIRS = ['usr/bin', 'usr/sbin', 'sbin', 'bin', 'lib/runit'];

function repoRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('bench: run me from inside the runit-ts repository');
    dir = parent;
  }
  return dir;
}

function referenceDir(repo: string): string {
  if (process.env.RUNIT_REF_DIR) return process.env.RUNIT_REF_DIR;
  return execFileSync('bash', [join(repo, 'tools/reference/fetch.sh')], { encoding: 'utf8' }).trim();
}

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Arguments {
  quick: boolean;
  only: Set<string> | undefined;
  /** Where the report goes: --out DIR; by default docs/ for a full run, tools/bench/dist/ otherwise. */
  out: string | undefined;
  /** --render FILE: no run; the report again from a run's recorded results (e.g. after changing its layout). */
  render: string | undefined;
}

/** Everything a report is made from; every run records it in tools/bench/dist/results.json. */
interface RecordedRun {
  sections: ReportSection[];
  machine: MachineInfo;
  options: ReportOptions;
  /** Every scenario was run (no --only). */
  complete: boolean;
}

function writeReport(dir: string, run: RecordedRun): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, run.options.chartFile), renderChart(run.sections.flatMap((s) => s.metrics)));
  const file = join(dir, 'benchmarks.md');
  writeFileSync(file, renderMarkdown(run.sections, run.machine, run.options));
  return file;
}

/** Only a full run of every scenario replaces the committed report. */
const defaultReportDir = (repo: string, run: { quick: boolean; complete: boolean }): string =>
  join(repo, run.complete && !run.quick ? 'docs' : 'tools/bench/dist');

class UsageError extends Error {}

const USAGE = 'usage: npm run bench [-- --quick] [--only scenario,...] [--out DIR] [--render results.json]';

function parseArguments(args: readonly string[]): Arguments {
  const withValue = new Set(['--only', '--out', '--render']);
  for (let i = 0; i < args.length; i++) {
    if (withValue.has(args[i]!)) i++;
    else if (args[i] !== '--quick') throw new UsageError(args[i] === '--help' || args[i] === '-h' ? USAGE : `bench: unknown argument ${args[i]}\n${USAGE}`);
  }
  const value = (flag: string): string | undefined => {
    const index = args.indexOf(flag);
    return index >= 0 ? (args[index + 1] ?? '') : undefined;
  };
  const only = value('--only') === undefined ? undefined : new Set(value('--only')!.split(',').filter(Boolean));
  const known = new Set(scenarios.map((s) => s.name));
  for (const name of only ?? []) {
    if (!known.has(name)) throw new UsageError(`bench: no scenario ${name}; there are: ${[...known].join(', ')}`);
  }
  return { quick: args.includes('--quick'), only, out: value('--out'), render: value('--render') };
}

async function main(): Promise<void> {
  const { quick, only, out, render } = parseArguments(process.argv.slice(2));
  const repo = repoRoot();
  if (render !== undefined) {
    const recorded = JSON.parse(readFileSync(render, 'utf8')) as RecordedRun;
    const dir = resolve(out ?? defaultReportDir(repo, { quick: recorded.options.quick, complete: recorded.complete }));
    process.stderr.write(`bench: wrote ${writeReport(dir, recorded)} from ${render}\n`);
    return;
  }
  const reportDir = resolve(out ?? defaultReportDir(repo, { quick, complete: only === undefined }));
  const refDir = referenceDir(repo);
  const temps: string[] = [];
  let cleanup = new Cleanup();
  const context: BenchContext = {
    quick,
    repo,
    refDir,
    ours: (command) => join(repo, 'node_modules/.bin', command),
    runit: (command) => {
      for (const dir of REFERENCE_DIRS) if (existsSync(join(refDir, dir, command))) return join(refDir, dir, command);
      throw new Error(`bench: reference ${command} not found in ${refDir}`);
    },
    tempDir: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      temps.push(dir);
      return dir;
    },
    get cleanup() {
      return cleanup;
    },
    log: (message) => process.stderr.write(`bench: ${message}\n`),
  };
  const endScenario = async (): Promise<void> => {
    const done = cleanup;
    cleanup = new Cleanup();
    try {
      await done.run();
    } finally {
      while (temps.length > 0) rmSync(temps.pop()!, { recursive: true, force: true });
    }
  };
  // Ctrl-C or a kill: the programs under test run in sessions of their own, so end them here.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      context.log(`${signal}: ending what the scenario started`);
      void endScenario().finally(() => process.exit(code));
    });
  }

  const sections: ReportSection[] = [];
  const loadBefore = loadAverage();
  const cpuBefore = cpuSnapshot();
  const startedAt = new Date();
  const started = performance.now();
  for (const scenario of scenarios) {
    if (only && !only.has(scenario.name)) continue;
    context.log(`${scenario.name}: ${scenario.description}`);
    const t0 = performance.now();
    try {
      const result = await scenario.run(context);
      sections.push({ name: scenario.name, description: scenario.description, ...result });
      context.log(`${scenario.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      // one broken scenario must not cost the others' figures: report it, go on, exit 1 at the end
      const text = error instanceof Error ? error.message : String(error);
      sections.push({ name: scenario.name, description: scenario.description, metrics: [], error: text });
      context.log(`${scenario.name}: FAILED: ${error instanceof Error ? (error.stack ?? text) : text}`);
    } finally {
      await endScenario();
    }
  }

  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    kernel: release(),
    node: process.version,
    date: startedAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    loadBefore,
    loadAfter: loadAverage(),
    otherWork: otherWorkShare(cpuBefore, cpuSnapshot()),
  };
  const durationSeconds = (performance.now() - started) / 1000;
  const recorded: RecordedRun = { sections, machine, options: { quick, chartFile: 'benchmarks.svg', durationSeconds }, complete: only === undefined };
  const results = join(repo, 'tools/bench/dist/results.json');
  mkdirSync(dirname(results), { recursive: true });
  writeFileSync(results, `${JSON.stringify(recorded, null, 1)}\n`);
  const file = writeReport(reportDir, recorded);
  const count = sections.reduce((n, s) => n + s.metrics.length, 0);
  context.log(`wrote ${file} (${count} metrics; results in ${results}) in ${durationSeconds.toFixed(1)} s`);
  const failed = sections.filter((s) => s.error !== undefined).map((s) => s.name);
  if (failed.length > 0) throw new Error(`bench: ${failed.length} scenario(s) failed: ${failed.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(100);
    }
    process.stderr.write(`bench: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
