// Prints one closing line that CI can read whatever the runner: "web: N passed, N failed, N skipped".
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, string>();

  onTestEnd(test: TestCase, _result: TestResult): void {
    this.outcome.set(test.id, test.outcome()); // the last retry decides
  }

  onEnd(_result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const o of this.outcome.values()) {
      if (o === "expected" || o === "flaky") passed += 1;
      else if (o === "skipped") skipped += 1;
      else failed += 1;
    }
    console.log(`web: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
