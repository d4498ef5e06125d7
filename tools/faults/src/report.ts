// docs/reliability.md, written by the suite itself from what its cases recorded: one table per case,
// ours against runit, the sizes it ran with and how long each case took.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Section } from './results.js';
import { sizeTable } from './sizes.js';

export const REPORT_PATH = fileURLToPath(new URL('../../../docs/reliability.md', import.meta.url));

/** Every section of a full run; the report is written only when all of them are there. */
export const SECTIONS = ['kill', 'storm', 'crash-loop', 'fd-limit', 'disk-full', 'fuzz', 'supervise'] as const;

/** Faults the suite does not cover yet, named in the report so that their absence is not mistaken for a pass. */
const NOT_YET = ['supervise/lock or its FIFOs replaced while a supervisor runs', 'orphans reaped by PID 1 (packages/init/test/orphans.test.ts reaps 20,000 with flat memory, RUNIT_TS_TEST_ORPHANS for the full 100,000; not measured against runit here)'];

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, '<br>');

function table(section: Section): string {
  const process = section.rows.some((row) => row.oursProcess !== undefined);
  const head = process ? '| case | runit-ts (service host) | runit-ts (runsv per service) | runit 2.1.2 |\n|---|---|---|---|' : '| case | runit-ts | runit 2.1.2 |\n|---|---|---|';
  const rows = section.rows.map((row) =>
    process ? `| ${cell(row.case)} | ${cell(row.ours)} | ${cell(row.oursProcess ?? '—')} | ${cell(row.runit)} |` : `| ${cell(row.case)} | ${cell(row.ours)} | ${cell(row.runit)} |`,
  );
  return [head, ...rows].join('\n');
}

export function renderReport(sections: Section[], when: Date, machine: string): string {
  const sorted = [...sections].sort((a, b) => a.order - b.order);
  const total = sorted.reduce((sum, s) => sum + s.seconds, 0);
  const parts = [
    '# Reliability: the fault suite',
    '',
    '<!-- Written by tools/faults (npm test runs it); edit the suite, not this file. -->',
    '',
    'What survives and what is lost when things go wrong, for runit-ts and for runit 2.1.2 (Debian\'s',
    'binaries, the same ones the interop tests use), case by case, on real processes. Each case asserts',
    "runit-ts's side (a regression fails `npm test`) and records runit's as it is. The sizes below are",
    "CI's; each is a variable, and the full sizes of the issue that asked for this suite are in the",
    'first column\'s notes. Only the ratios and the yes/no columns carry over between machines.',
    '',
    `Last run: ${when.toISOString().slice(0, 10)}, ${machine}; ${total} s for the whole suite.`,
    '',
    `Not covered yet: ${NOT_YET.join('; ')}.`,
    '',
    '| size | value |',
    '|---|---|',
    ...sizeTable().map(([name, value]) => `| \`${name}\` | ${value} |`),
    '',
  ];
  for (const section of sorted) {
    parts.push(`## ${section.title}`, '', section.about, '', table(section), '', `(${section.seconds} s)`, '');
  }
  return parts.join('\n');
}

export function writeReport(sections: Section[], machine: string): void {
  writeFileSync(REPORT_PATH, renderReport(sections, new Date(), machine));
}
