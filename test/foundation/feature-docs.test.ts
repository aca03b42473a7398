import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WALLET_FEATURES } from '@cryptotrace/core';
import { describe, expect, it } from 'vitest';

// docs/features.md documents every wallet feature: its table must be WALLET_FEATURES, in order, word for word.
describe('docs/features.md', () => {
  it('behavior: its table lists WALLET_FEATURES in model order with their group, definition and unit', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/features.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| \d+ \| `/.test(l)).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|')));
    expect(rows.map((r) => r[1])).toEqual(WALLET_FEATURES.map((f) => `\`${f.name}\``));
    WALLET_FEATURES.forEach((f, k) => expect(rows[k]).toEqual([String(k + 1), `\`${f.name}\``, f.group + (f.fromLabels ? ' (labels)' : ''), f.definition, f.unit]));
  });
});
