import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type UtxoBlock, getChain, parseWatchlist } from '@cryptotrace/core';
import { namedScenarioDir } from '@cryptotrace/fixtures';
import { decodeBlock } from '../bitcoin/block.js';
import { readBlkFrames } from '../bitcoin/blk-file.js';
import { ingestFiles } from '../ingest/ingest-files.js';
import { rebuildClusters } from '../store/sqlite/clusters-run.js';
import { canonicalDump } from '../store/sqlite/dump.js';
import { type SqliteStore, openSqliteStore } from '../store/sqlite/store.js';
import { runWatch } from './run-watch.js';

// The shipped darknet-market case, its last 3 blocks watched through an in-process source (nothing here needs a
// node: the litecoind tests cover the RPC path).
describe('runWatch over a real SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-run-watch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const chain = getChain('bitcoin-regtest');
  const blk = join(namedScenarioDir('darknet-market'), 'blk00000.dat');
  const data = readFileSync(blk);
  const frames = [...readBlkFrames((o, n) => data.subarray(o, o + n), data.length, blk)].map((f) => data.subarray(f.offset, f.offset + 8 + f.bytes.length));
  writeFileSync(join(dir, 'head.dat'), Buffer.concat(frames.slice(0, -3)));
  const heights = new Map<string, number>();
  const blocks: UtxoBlock[] = frames.map((f) => {
    const b = decodeBlock(f.subarray(8), chain, { where: 'test', heightOf: (h) => heights.get(h) ?? null });
    heights.set(b.header.hash, b.header.height!);
    return b;
  });
  const watched = blocks.slice(-3);
  const first = watched[0].header.height!;

  async function prepared(name: string): Promise<SqliteStore> {
    const store = openSqliteStore(join(dir, `${name}.db`), { create: true });
    await ingestFiles(store, [join(dir, 'head.dat')], { at: 'head' });
    rebuildClusters(store, chain.name, undefined, { at: 'head' });
    return store;
  }
  const source = (store: SqliteStore) => ({
    chain, kind: 'memory', locator: 'memory', format: 'raw-block', capabilities: { addressHistory: false, spenders: false },
    getTransaction: async (): Promise<never> => {
      throw new Error('every parent is stored');
    },
    getBlock: async (h: string | number) => {
      const b = blocks.find((x) => x.header.height === Number(h))!;
      return Number(h) < first ? { blocks: [store.getBlock(chain.name, Number(h))!], utxoTransactions: [] } : { blocks: [b.header], utxoTransactions: b.transactions };
    },
    tipHeight: async () => first + watched.length - 1,
  });
  const entries = (store: SqliteStore) => {
    const spender = store.db.prepare('SELECT a.address FROM txs t JOIN outputs o ON o.tx_id = t.id AND o.n = ? JOIN addresses a ON a.id = o.address_id WHERE t.txid = ?').pluck();
    const holders = [...new Set(watched.flatMap((b) => b.transactions.flatMap((t) => t.inputs.filter((i) => !i.coinbase).map((i) => spender.get(i.prevVout, i.prevTxid) as string | undefined))))].filter((a) => a !== undefined).slice(0, 5);
    return parseWatchlist({ watch: [...holders.map((a) => ({ address: a, rules: ['movement', 'exposure'] })), { cluster: holders[0], rules: ['cluster-growth'] }] }, chain);
  };
  const outcome = (store: SqliteStore) => ({
    dump: [...canonicalDump(store.db)],
    alerts: store.db.prepare('SELECT id, height, body FROM watch_alerts ORDER BY seq').all(),
    links: store.db.prepare('SELECT a.address AS a, b.address AS b, l.rule, l.txid FROM cluster_links l JOIN addresses a ON a.id = l.a_id JOIN addresses b ON b.id = l.b_id ORDER BY a.address, b.address, l.rule').all(),
    members: store.db.prepare('SELECT a.address, c.address AS root FROM cluster_members m JOIN addresses a ON a.id = m.address_id JOIN addresses c ON c.id = m.cluster_id ORDER BY a.address').all(),
  });

  test('behavior: a block whose work fails after its write is rolled back whole, and watching it again gives what a watch that never failed gives', async () => {
    const clean = await prepared('clean');
    const list = entries(clean);
    const summary = await runWatch(clean, source(clean), { chain: chain.name, entries: list, from: first, once: true, now: () => 'now' });
    expect(summary.blocks).toBe(3);
    const want = outcome(clean);
    expect(want.alerts.length, 'the watched blocks raise alerts').toBeGreaterThan(0);
    clean.close();

    const store = await prepared('failed');
    // The third call of now() is the watch advancing past the first block: its write, cluster update and rules are done.
    let calls = 0;
    const failing = () => {
      if (++calls === 3) throw new Error('stopped mid-block');
      return 'now';
    };
    const before = outcome(store);
    await expect(runWatch(store, source(store), { chain: chain.name, entries: list, from: first, once: true, now: failing })).rejects.toThrow('stopped mid-block');
    expect(outcome(store), 'nothing of the block is left').toEqual({ ...before, alerts: [] });
    expect((store.db.prepare('SELECT height FROM watch_state').pluck().get() as number)).toBe(first - 1);
    await runWatch(store, source(store), { chain: chain.name, entries: list, once: true, now: () => 'now' });
    expect(outcome(store)).toEqual(want);
    store.close();
  });
});
