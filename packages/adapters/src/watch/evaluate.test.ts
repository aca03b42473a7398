import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectPeelChains, getChain, parseWatchlist } from '@cryptotrace/core';
import { namedScenarioDir } from '@cryptotrace/fixtures';
import { ingestFiles } from '../ingest/ingest-files.js';
import { rebuildClusters } from '../store/sqlite/clusters-run.js';
import { type SqliteStore, openSqliteStore } from '../store/sqlite/store.js';
import { streamUtxoTransactions } from '../store/sqlite/taint-stream.js';
import { evaluateBlock } from './evaluate.js';

// The shipped darknet-market case in a real SQLite store: its vendors cash out by peel chains.
describe('watch rules on a stored block', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-watch-'));
  let store: SqliteStore;
  const chain = 'bitcoin-regtest';
  beforeAll(async () => {
    store = openSqliteStore(join(dir, 'case.db'), { create: true });
    await ingestFiles(store, [join(namedScenarioDir('darknet-market'), 'blk00000.dat')]);
    rebuildClusters(store, chain);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const blockOf = (txid: string) => {
    const t = store.getTransaction(chain, txid)!;
    const b = store.getBlock(chain, t.block!.hash)!;
    const txids = store.db.prepare('SELECT txid FROM txs WHERE chain = ? AND block_hash = ? ORDER BY position').pluck().all(chain, b.hash) as string[];
    return { block: { chain, hash: b.hash, height: b.height!, time: b.time }, txids };
  };

  test('behavior: typology fires when a watched wallet continues a peel chain in the block, with the chain as evidence', () => {
    const [hit] = detectPeelChains(streamUtxoTransactions(store.db, chain));
    expect(hit, 'the case has a peel chain').toBeDefined();
    const last = hit.txids[hit.txids.length - 1];
    const { block, txids } = blockOf(last);
    const entries = parseWatchlist({ watch: [{ address: hit.holder, rules: ['typology'] }] }, getChain(chain));
    const alerts = evaluateBlock(store, block, entries, txids);
    const typology = alerts.filter((a) => a.rule === 'typology');
    expect(typology).toHaveLength(1);
    expect(typology[0]).toMatchObject({ address: hit.holder, txid: last, evidence: { typology: 'peel-chain', holder: hit.holder } });
    expect((typology[0].evidence.txids as string[]).at(-1)).toBe(last);
    // An entry without the rule, or a wallet not in the chain, gives none.
    expect(evaluateBlock(store, block, parseWatchlist({ watch: [{ address: hit.holder, rules: ['cluster-growth'] }] }, getChain(chain)), txids).filter((a) => a.rule === 'typology')).toEqual([]);
  });

  test('default: the same block evaluated twice gives the same alert ids (a restart repeats none)', () => {
    const [hit] = detectPeelChains(streamUtxoTransactions(store.db, chain));
    const { block, txids } = blockOf(hit.txids[hit.txids.length - 1]);
    const entries = parseWatchlist({ watch: [{ address: hit.holder, rules: ['typology', 'movement'] }] }, getChain(chain));
    const a = evaluateBlock(store, block, entries, txids).map((x) => x.id);
    expect(a.length).toBeGreaterThan(0);
    expect(evaluateBlock(store, block, entries, txids).map((x) => x.id)).toEqual(a);
  });
});
