import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run on one plain line, "tests: N passed, N failed, N skipped", after vitest's own summary.
 * Vitest's summary is coloured and split over columns; a line with no escape codes and one shape is
 * what a log reader (a person scrolling CI, or a tool counting tests) can take at a glance.
 */
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
