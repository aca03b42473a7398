import { existsSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { SHARED } from './shared.js';

/** What the summary needs to know of one test: its full name (describe titles included) and whether it skipped. */
export interface TestOutcome {
  fullName: string;
  skipped: boolean;
}

/**
 * The line the test run ends with when ../shared is absent: how many tests skipped for it (their titles name it,
 * see `needs()` in ./shared.ts) and how many for anything else; null when none skipped for it.
 */
export function sharedSkipLine(tests: Iterable<TestOutcome>, sharedPresent: boolean): string | null {
  let forShared = 0;
  let other = 0;
  for (const t of tests) {
    if (!t.skipped) continue;
    if (t.fullName.includes('../shared')) forShared++;
    else other++;
  }
  if (sharedPresent || forShared === 0) return null;
  return `${forShared} test${forShared === 1 ? '' : 's'} skipped because ../shared (real mainnet blocks and labels, read in place beside the clone) is absent${other ? `; ${other} skipped for other reasons, named in their titles` : ''}. Everything else ran.`;
}

/** A vitest reporter that prints {@link sharedSkipLine} after the summary. */
export default class SharedSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tests = function* () {
      for (const m of testModules) for (const t of m.children.allTests()) yield { fullName: t.fullName, skipped: t.result().state === 'skipped' };
    };
    const line = sharedSkipLine(tests(), existsSync(SHARED));
    if (line) process.stdout.write(`\n${line}\n`);
  }
}
