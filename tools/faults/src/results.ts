// What each case found, recorded as it runs (one JSON file per section) and read back by the report.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../.results/', import.meta.url));

/** One row of a section's table: what was done, and what survived or was lost on each side. */
export interface Row {
  case: string;
  ours: string;
  /** Our per-process mode (a runsv of ours per service), where it differs from the host. */
  oursProcess?: string;
  /** runit 2.1.2 (Debian's), or `—` where the case has no runit side. */
  runit: string;
}

export interface Section {
  /** Orders the sections in the report. */
  order: number;
  title: string;
  /** What the case does and how it is judged, one paragraph. */
  about: string;
  rows: Row[];
  /** Wall-clock seconds the section took. */
  seconds: number;
}

export function clearResults(): void {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
}

export function record(id: string, section: Section): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${id}.json`, JSON.stringify(section, null, 2));
}

export function readResults(): Map<string, Section> {
  const out = new Map<string, Section>();
  let files: string[];
  try {
    files = readdirSync(RESULTS_DIR);
  } catch {
    return out;
  }
  for (const file of files) if (file.endsWith('.json')) out.set(file.slice(0, -5), JSON.parse(readFileSync(`${RESULTS_DIR}${file}`, 'utf8')) as Section);
  return out;
}

/** Collects a section's rows while its tests run; `save()` in afterAll. */
export class SectionRecorder {
  private readonly rows: Row[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly id: string,
    private readonly order: number,
    private readonly title: string,
    private readonly about: string,
  ) {}

  add(row: Row): void {
    this.rows.push(row);
  }

  save(): void {
    record(this.id, {
      order: this.order,
      title: this.title,
      about: this.about,
      rows: this.rows,
      seconds: Math.round((performance.now() - this.started) / 1000),
    });
  }
}
