// Sums the vitest JSON reports of every package into one closing line: "Tests: N passed, M failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // a file that failed without a failing test (it did not load, or a hook threw) counts as one failure
  for (const result of report.testResults ?? []) {
    if (result.status === 'failed' && !(result.assertionResults ?? []).some((a) => a.status === 'failed')) failed++;
  }
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`\n${files.length} packages reported`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
