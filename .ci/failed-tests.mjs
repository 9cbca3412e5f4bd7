// Prints the names of the failed tests recorded in a vitest or Playwright JSON report, one per line, so the end of
// a CI log says what failed even when the log is cut.
import { readFileSync } from "node:fs";

const [kind, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, "utf8"));
const firstLine = (messages) =>
  String(messages?.[0] ?? "")
    .split("\n")
    .find((l) => l.trim()) ?? "";

if (kind === "vitest") {
  for (const suite of report.testResults ?? []) {
    if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0)
      console.log(`vitest ${suite.name}: ${suite.message ?? "suite failed"}`.slice(0, 400));
    for (const t of suite.assertionResults ?? []) {
      if (t.status === "failed")
        console.log(`vitest ${suite.name} › ${t.fullName}: ${firstLine(t.failureMessages)}`.slice(0, 400));
    }
  }
} else {
  const walk = (suite, titles) => {
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === "unexpected" || test.status === "flaky") {
          const error = test.results?.find((r) => r.error)?.error?.message ?? "";
          console.log(
            `playwright ${[...titles, spec.title].join(" › ")} (${test.status}): ${firstLine([error])}`.slice(0, 400),
          );
        }
      }
    }
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
}
