/**
 * Prints the suite's closing line, "N passed, N failed, N skipped", from
 * vitest's JSON report, so whoever reads the output (a person or CI) finds
 * the totals in one plain line whatever the reporter printed above it.
 *
 *   node scripts/print-test-summary.ts test-artifacts/vitest-report.json
 */
import fs from 'node:fs';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`no test report at ${file ?? '(none given)'}: the run did not finish`);
  process.exit(1);
}

const report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestJsonReport;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(
  `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
);
