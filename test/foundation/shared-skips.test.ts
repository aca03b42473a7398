import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, needs } from '../support/shared.js';
import { sharedSkipLine } from '../support/shared-reporter.js';

describe('the test run says why tests skipped', () => {
  it('behavior: tests that skip for ../shared are counted in one line naming it', () => {
    const tests = [
      { fullName: 'ctrace replay on real blocks (skipped: ../shared/data/bitcoin/raw-blocks/btcd-blocks1-256.bz2 is absent) > default', skipped: true },
      { fullName: 'labels (skipped: ../shared/data/labels is absent) > import', skipped: true },
      { fullName: 'on a terminal a progress bar is drawn', skipped: true },
      { fullName: 'ingest > default', skipped: false },
    ];
    expect(sharedSkipLine(tests, false)).toBe('2 tests skipped because ../shared (real mainnet blocks and labels, read in place beside the clone) is absent; 1 skipped for other reasons, named in their titles. Everything else ran.');
    expect(sharedSkipLine(tests, true)).toBeNull();
    expect(sharedSkipLine(tests.slice(2), false)).toBeNull();
  });

  it('behavior: needs() names the path in a skipped title, and the reporter is configured', () => {
    expect(needs('no/such/path', 'real data')).toBe('real data (skipped: ../shared/no/such/path is absent)');
    expect(readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8')).toMatch(/reporters: \['default', '\.\/test\/support\/shared-reporter\.ts'\]/);
  });
});
