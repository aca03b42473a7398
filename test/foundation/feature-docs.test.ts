import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_FEATURES, type FeatureSpec, WALLET_FEATURES } from '@cryptotrace/core';
import { describe, expect, it } from 'vitest';

// docs/features.md documents every wallet feature: its first table must be WALLET_FEATURES, in order, word for word,
// and the table of its account section ACCOUNT_FEATURES.
describe('docs/features.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/features.md'), 'utf8');
  const [utxo, account] = doc.split('\n## Account (EVM) chains');
  const rowsOf = (text: string) => text.split('\n').filter((l) => /^\| \d+ \| `/.test(l)).map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|')));
  const check = (rows: string[][], specs: readonly FeatureSpec[]) => {
    expect(rows.map((r) => r[1])).toEqual(specs.map((f) => `\`${f.name}\``));
    specs.forEach((f, k) => expect(rows[k]).toEqual([String(k + 1), `\`${f.name}\``, f.group + (f.fromLabels ? ' (labels)' : ''), f.definition, f.unit]));
  };

  it('behavior: its table lists WALLET_FEATURES in model order with their group, definition and unit', () => check(rowsOf(utxo), WALLET_FEATURES));

  it('behavior: its account section lists ACCOUNT_FEATURES the same way', () => check(rowsOf(account ?? ''), ACCOUNT_FEATURES));
});
