// Sums the vitest JSON reports of every package into one closing line: "Tests: N passed, M failed",
// preceded by the name and first message line of each failure, so that the tail of a CI log says
// what failed without scrolling back through every package's output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const firstLine = (messages) => String(messages?.[0] ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const result of report.testResults ?? []) {
    const where = relative(process.cwd(), result.name ?? file);
    const failedTests = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const test of failedTests) failures.push(`${where} > ${test.fullName}\n    ${firstLine(test.failureMessages)}`);
    // a file that failed without a failing test (it did not load, or a hook threw) counts as one failure
    if (result.status === 'failed' && failedTests.length === 0) {
      failed++;
      failures.push(`${where} (the file failed outside its tests)\n    ${firstLine([result.message])}`);
    }
  }
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`\n${files.length} packages reported`);
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
