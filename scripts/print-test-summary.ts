/**
 * Prints the suite's closing line, "N passed, N failed, N skipped", from
 * vitest's JSON reports (one per run, summed), so whoever reads the output (a
 * person or CI) finds the totals in one plain line whatever the reporters
 * printed above it.
 *
 *   node scripts/print-test-summary.ts test-artifacts/vitest-report*.json
 */
import fs from 'node:fs';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const files = process.argv.slice(2);
const missing = files.filter((file) => !fs.existsSync(file));
if (files.length === 0 || missing.length > 0) {
  console.error(
    `no test report at ${missing.join(', ') || '(none given)'}: a run did not finish`,
  );
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of files) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestJsonReport;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
