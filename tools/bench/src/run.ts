// `npm run bench [-- --quick] [--only name,…]`: runs every scenario beside the real runit and writes
// docs/benchmarks.md and docs/benchmarks.svg.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderChart, renderMarkdown } from './report.js';
import type { BenchContext, Metric } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const REFERENCE_DIRS = ['usr/bin', 'usr/sbin', 'sbin', 'bin'];

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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
  const repo = repoRoot();
  const refDir = referenceDir(repo);
  const temps: string[] = [];
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
    log: (message) => process.stderr.write(`bench: ${message}\n`),
  };

  const metrics: Metric[] = [];
  const started = Date.now();
  try {
    for (const scenario of scenarios) {
      if (only && !only.has(scenario.name)) continue;
      context.log(`${scenario.name}: ${scenario.description}`);
      const t0 = Date.now();
      metrics.push(...(await scenario.run(context)));
      context.log(`${scenario.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      while (temps.length > 0) rmSync(temps.pop()!, { recursive: true, force: true });
    }
  } finally {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }

  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    kernel: release(),
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
  const chart = 'benchmarks.svg';
  writeFileSync(join(repo, 'docs', chart), renderChart(metrics));
  writeFileSync(join(repo, 'docs', 'benchmarks.md'), renderMarkdown(metrics, machine, quick, chart));
  context.log(`wrote docs/benchmarks.md (${metrics.length} metrics) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
