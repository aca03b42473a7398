import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { SPENDS_LAST_PART, SPENDS_PART } from './cluster-facts.js';
import { openSqliteStore, type SqliteStore } from './store.js';

// The spends join reads the txid order in 256 parts; each part must be a range of the txid index. Read through
// txs_block's chain prefix instead, every part scans the chain (the all-rules rebuild at 10^7 took twice its CPU).
// A real store of the fixture chain, with the indexes every store has.
let dir: string;
let store: SqliteStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-facts-plan-'));
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
  const { namedScenarioDir } = await import('@cryptotrace/fixtures');
  await ingestFiles(store, [join(namedScenarioDir('darknet-market'), 'blk00000.dat')]);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const plan = (where: string) =>
  (store.db.prepare(`EXPLAIN QUERY PLAN SELECT p.id FROM txs AS p CROSS JOIN inputs AS i ${where}`).all({ chain: 'bitcoin', from: '00', to: '01' }) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('cluster facts: the spends join plan', () => {
  it('behavior: each part, and the last, is a range of txs_txid_chain', () => {
    for (const where of [SPENDS_PART, SPENDS_LAST_PART]) {
      expect(plan(where)).toMatch(/SEARCH p USING COVERING INDEX txs_txid_chain \(txid>\?/);
      expect(plan(where)).not.toMatch(/txs_block/);
    }
  });
  it('behavior: without the unary plus the planner takes txs_block (what the plus is there for)', () => {
    expect(plan(SPENDS_PART.replace('+p.chain', 'p.chain'))).toMatch(/txs_block/);
  });
});
