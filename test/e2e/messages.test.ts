import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';
import { ROOT } from '../support/shared.js';

/* What a newcomer reads: counts that add up and say what they count, lists that say when they were cut. */

const BLK = join(ROOT, 'fixtures/scenarios/darknet-market/blk00000.dat');
const LABELS = join(ROOT, 'fixtures/scenarios/darknet-market/labels.csv');

describe('ingest says what it already held', () => {
  it('behavior: ingesting the same file again counts its blocks and transactions as already stored', () => {
    const db = join(tempDir(), 'case.db');
    const first = ctrace(['--db', db, '--json', 'ingest', BLK]);
    expect(first.code, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout);
    expect(one).toMatchObject({ blocks: 38, transactions: 400, duplicates: 0, blocksAlreadyStored: 0 });
    const again = JSON.parse(ctrace(['--db', db, '--json', 'ingest', BLK]).stdout);
    expect(again).toMatchObject({ blocks: 0, transactions: 0, duplicates: 400, blocksAlreadyStored: 38 });
    expect(again.files[0]).toMatchObject({ blocks: 0, transactions: 0, duplicates: 400, blocksAlreadyStored: 38 });
    const text = ctrace(['--db', db, 'ingest', BLK]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/new blocks\s+new txs\s+already stored\n/);
    expect(text.stdout).toMatch(/blk\s+0\s+0\s+400 txs \(38 blocks\)\n/);
    expect(text.stdout).toContain(`stored 0 blocks and 0 transactions in ${db}; already stored: 400 transactions (38 blocks), left as they were;`);
  });
});

describe('labels import and list', () => {
  it('behavior: labels can outnumber records, and the summary says why', () => {
    const dir = join(tempDir(), 'etherscan');
    mkdirSync(dir);
    const file = join(dir, 'combined.json');
    // One record (an address) with two explorer tags gives two labels.
    writeFileSync(file, JSON.stringify({
      '0x000000000000000000000000000000000000dEaD': { name: 'Burn', labels: ['burn', 'null'] },
      '0x00000000000000000000000000000000000b0b00': { name: 'Bob', labels: ['exchange'] },
    }));
    const db = join(tempDir(), 'case.db');
    const r = ctrace(['--db', db, 'labels', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/records\s+labels\s+imported\s+already\s+refused\n/);
    expect(r.stdout).toMatch(/etherscan-labels\s+2\s+3\s+3\s+0\s+0\n/);
    expect(r.stderr).toBe('read 2 records giving 3 labels (a record can give several labels: an etherscan-labels entry gives one per tag): imported 3, 0 already stored (kept as they were); 0 records refused\n');
    const j = JSON.parse(ctrace(['--db', db, '--json', 'labels', 'import', file]).stdout);
    expect(j).toMatchObject({ read: 2, labels: 3, imported: 0, duplicates: 3, refused: 0 });
  });

  it('behavior: labels list says when it stopped at --limit', () => {
    const db = join(tempDir(), 'case.db');
    expect(ctrace(['--db', db, 'labels', 'import', LABELS]).code).toBe(0);
    const cut = ctrace(['--db', db, 'labels', 'list', '--limit', '5']);
    expect(cut.code).toBe(0);
    expect(cut.stdout.trim().split('\n')).toHaveLength(2 + 5);
    expect(cut.stderr).toBe('note: the first 5 labels only; more match: raise --limit, narrow with --chain, --category or --source, or count them with --summary\n');
    const json = ctrace(['--db', db, '--json', 'labels', 'list', '--limit', '5']);
    expect(JSON.parse(json.stdout)).toHaveLength(5);
    expect(json.stderr).toMatch(/^note: the first 5 labels only/);
    const all = ctrace(['--db', db, 'labels', 'list', '--limit', '17']);
    expect(all.stdout.trim().split('\n')).toHaveLength(2 + 17);
    expect(all.stderr).toBe('');
  });
});
