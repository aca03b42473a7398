import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importLabelFiles, openSqliteStore, queryLabels, readLabelFiles, type SqliteStore } from '@cryptotrace/adapters';
import { createLabelIndex, isCtraceError } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';

const LABELS = 'data/labels';
const AT = '2026-01-01T00:00:00.000Z';
const tmp = () => mkdtempSync(join(tmpdir(), 'ctrace-labels-'));
const tempStore = (): SqliteStore => openSqliteStore(join(tmp(), 'case.db'), { create: true });
const file = (dir: string, name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const HEADER = 'chain,address,category,source,confidence';

describe.skipIf(!hasShared(LABELS))(needs(LABELS, 'every label file in ../shared/data/labels'), () => {
  test('default: every file imports; read, imported, refused are counted with reasons', () => {
    const store = tempStore();
    const s = importLabelFiles(store, [shared(LABELS)], { at: AT });
    // Totals over 93 files (8 skipped: READMEs, LICENSEs, the ActorPack).
    expect({ files: s.files.length, skipped: s.files.filter((f) => f.skipped).length, read: s.read, labels: s.labels, imported: s.imported, duplicates: s.duplicates, refused: s.refused })
      .toEqual({ files: 93, skipped: 8, read: 143654, labels: 145253, imported: 143706, duplicates: 1547, refused: 340 });
    // More labels than records: an etherscan-labels entry gives one per tag; every label is imported or already there.
    expect(s.labels).toBe(s.imported + s.duplicates);
    expect(store.stats().labels).toBe(143706);
    const byName = (suffix: string) => s.files.find((f) => f.path.endsWith(suffix))!;
    expect(byName('graphsense.actorpack.yaml').skipped).toMatch(/ActorPack/);
    expect(byName('sanctioned_addresses_XMR.json')).toMatchObject({ read: 3, imported: 0, refused: 3 });
    expect(byName('sanctioned_addresses_XMR.json').reasons[0].first).toBe('entry 1: chain "XMR" is not supported by cryptotrace');
    expect(byName('sanctioned_addresses_USDT.json').reasons[0].reason).toBe('USDT outside Ethereum (not a 0x address) is not supported by cryptotrace');
    expect(byName('sanctioned_addresses_XBT.txt')).toMatchObject({ read: 435, imported: 0, duplicates: 434, refused: 1 });
    expect(byName('addresses-darklist.json').reasons[0].first).toMatch(/^entry 376: "0x9CdfC5b0ACA4527a0916412E9dbD6AD85556A49" is not an EVM address/);
    // A TagPack keeps category, source, confidence (authority_data = 90; none given = unknown = 10) and actor; its
    // label is the name. Conflicting labels from different sources stand side by side.
    expect(queryLabels(store.db, { chain: 'bitcoin', address: '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA' })).toEqual([
      { chain: 'bitcoin', address: '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', category: 'market', actor: 'hydramarket', source: 'graphsense:hydra.yaml', confidence: 90, validFrom: null, importedAt: AT, name: 'Hydra Market' },
      { chain: 'bitcoin', address: '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', category: 'sanctioned', actor: '', source: 'ofac-sdn', confidence: 100, validFrom: null, importedAt: AT, name: 'OFAC SDN (XBT)' },
      { chain: 'bitcoin', address: '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', category: 'user', actor: '', source: 'graphsense:ofac.yaml', confidence: 10, validFrom: null, importedAt: AT, name: 'Asset listed under US Treasury OFAC Sanctions List' },
    ]);
    const both = queryLabels(store.db, { chain: 'bitcoin', address: '3K35dyL85fR9ht7UgzPfd1gLRRXQtNTqE3' }).map((l) => `${l.source}/${l.category}/${l.actor}`);
    expect(both).toEqual(['graphsense:blender_io.yaml/mixing_service/blenderio', 'ofac-sdn/sanctioned/', 'graphsense:ofac.yaml/user/']);
    // Re-importing changes nothing.
    const again = importLabelFiles(store, [shared(`${LABELS}/ofac-2024-09`)], { at: '2027-01-01T00:00:00.000Z' });
    expect(again.imported).toBe(0);
    expect(queryLabels(store.db, { source: 'ofac-sdn', limit: 1 })[0].importedAt).toBe(AT);
    store.close();
  });
});

describe('labels: formats, conflicts, dates and malformed files', () => {
  test('default: a CSV imports with valid_from, actor and name kept; conflicts are kept side by side, never overwritten', () => {
    const dir = tmp();
    const store = tempStore();
    const a = file(dir, 'a.csv', `${HEADER},valid_from,name\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,80,2022-04-05,"Hydra, ""the"" market \u001b[31mred"\nethereum,0xd8da6bf26964af9d7eed9e03e53415d37aa96045,exchange,me,50,,\n`);
    expect(importLabelFiles(store, [a], { at: AT })).toMatchObject({ read: 2, imported: 2, refused: 0 });
    const b = file(dir, 'b.csv', `${HEADER}\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,10\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,exchange,other,70\n`);
    expect(importLabelFiles(store, [b], { at: AT })).toMatchObject({ imported: 1, duplicates: 1 });
    const labels = queryLabels(store.db, { address: '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA' });
    expect(labels.map((l) => [l.category, l.source, l.confidence, l.validFrom])).toEqual([['exchange', 'other', 70, null], ['market', 'me', 80, '2022-04-05']]);
    // Names are data: stored verbatim (the CLI strips control characters when it prints).
    expect(labels[1].name).toBe('Hydra, "the" market \u001b[31mred');
    expect(queryLabels(store.db, { chain: 'ethereum' })[0].address).toBe('0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045');
    const index = createLabelIndex(labels);
    expect(index.of('bitcoin', '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', '2022-01-01').map((l) => l.category)).toEqual(['exchange']);
    expect(index.of('bitcoin', 'p2pk:1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', '2023-01-01').map((l) => l.category)).toEqual(['exchange', 'market']);
    store.close();
  });

  test('behavior: unsupported chains and bad addresses are refused with reasons, the rest imports', () => {
    const dir = tmp();
    const r = readLabelFiles([file(dir, 'x.csv', `${HEADER}\nmonero,4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx,ransomware,me,90\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbB,market,me,90\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,90\n`)]);
    expect(r[0].labels).toHaveLength(1);
    expect(r[0].refused).toEqual([
      { at: 'line 2', reason: 'chain "monero" is not supported by cryptotrace' },
      { at: 'line 3', reason: '"1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbB" is not a bitcoin address: not a base58check address with a valid checksum' },
    ]);
  });

  const malformedCases: [string, string, string][] = [
    ['bad.csv', `${HEADER}\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me\n`, 'bad.csv: line 2: 4 fields, the header has 5'],
    ['conf.csv', `${HEADER}\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,0.9\n`, 'conf.csv: line 2: confidence "0.9" is not an integer from 0 to 100'],
    ['head.csv', 'chain,address,category\n', 'head.csv: line 1: the header lacks source, confidence (expected chain,address,category,source,confidence)'],
    ['quote.csv', `${HEADER}\nbitcoin,"1BCW,market,me,9\n`, 'quote.csv: line 2: a quoted field is not closed'],
    ['pack.yaml', 'title: x\ntags:\n- address: [1\n', 'pack.yaml: YAML error at line 4: Flow sequence in block collection'],
    ['nopack.yaml', 'title: x\n', 'nopack.yaml: not a TagPack: no "tags" list'],
    // A "billion laughs" alias bomb: 9^7 strings from eight lines.
    ['bomb.yaml', `a: &a [${Array(9).fill('"lol"').join(',')}]\n${'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`).join('\n')}\ncurrency: BTC\ntags: [*g]\n`, 'bomb.yaml: its YAML aliases expand past 100 references (an alias bomb?)'],
    ['conf.yaml', 'confidence: sure\ncurrency: BTC\ncategory: market\ntags:\n- address: 1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA\n', 'conf.yaml: tag 1: unknown confidence level "sure"'],
    ['sanctioned_addresses_XBT.json', '{"a": 1}', 'sanctioned_addresses_XBT.json: not a JSON array of address strings'],
    ['addresses-darklist.json', '[{"address": 5}]', 'addresses-darklist.json: entry 1: expected { "address": "0x...", "comment", "date" }'],
  ];
  for (const [name, text, message] of malformedCases) {
    test(`error: ${name} is malformed: one clear line, and nothing of any file listed is imported`, () => {
      const dir = tmp();
      const good = file(dir, 'good.csv', `${HEADER}\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,90\n`);
      const bad = file(dir, name, text);
      const store = tempStore();
      let err: unknown;
      try {
        importLabelFiles(store, [good, bad], { at: AT });
      } catch (e) {
        err = e;
      }
      expect(isCtraceError(err, 'INPUT_MALFORMED')).toBe(true);
      const msg = (err as Error).message;
      expect(msg.startsWith(join(dir, message))).toBe(true);
      expect(msg).toMatch(/nothing from this file was imported/);
      expect(msg).not.toContain('\n');
      expect(store.stats().labels).toBe(0);
      store.close();
    });
  }

  test('error: a file named on its own that is no label file asks for --format', () => {
    const dir = tmp();
    expect(() => readLabelFiles([file(dir, 'notes.txt', 'hello')])).toThrowError(/notes\.txt: not a label file this importer knows: give --format/);
    expect(() => readLabelFiles([join(dir, 'missing.csv')])).toThrowError(/missing\.csv: no such file or directory/);
  });
});
