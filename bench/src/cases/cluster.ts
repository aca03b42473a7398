import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles, openSqliteStore, readBlkFrames, rebuildClusters, updateClusters } from '../../../packages/adapters/dist/index.js';
import { parseRuleSet } from '../../../packages/core/dist/index.js';
import { Database } from '../deps.js';
import { timed } from '../measure.js';

/** The rules the issue names: multi-input with its guards, then the change combination. */
export const CLUSTER_RULES = 'multi-input,change';

function scratchCopy(store: string): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  const path = join(dir, 'case.db');
  copyFileSync(store, path);
  for (const suffix of ['-wal']) if (existsSync(`${store}${suffix}`)) copyFileSync(`${store}${suffix}`, `${path}${suffix}`);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `ctrace cluster rebuild --rules multi-input,change` (or `params.rules`) over a copy of an ingested store, in process. */
export async function clusterCase(params: { store: string; rules?: string }): Promise<Record<string, unknown>> {
  const copy = scratchCopy(params.store);
  try {
    const store = openSqliteStore(copy.path);
    const { seconds, cpuSeconds, value } = await timed(() => rebuildClusters(store, 'bitcoin', parseRuleSet(params.rules ?? CLUSTER_RULES), { at: '2026-01-01T00:00:00.000Z' }));
    const transactions = (store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number);
    store.close();
    const links = Object.values(value.links).reduce((a, b) => a + b, 0);
    return { seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, links, linksByRule: value.links, coinjoins: value.coinjoins, refused: value.refused };
  } finally {
    copy.done();
  }
}

/**
 * The reference: the same store's (transaction, input address) pairs, streamed in transaction order, each
 * transaction's input addresses united in a bare typed-array union-find (path halving, union by size): the
 * multi-input rule with no guards, no change rule and nothing written.
 */
export async function unionFindCase(params: { store: string }): Promise<Record<string, unknown>> {
  const db = new Database(params.store);
  const { seconds, cpuSeconds, value } = await timed(() => {
    const n = (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) + 1;
    const parent = new Int32Array(n);
    const size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) parent[i] = i;
    const find = (x: number) => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    };
    let unions = 0;
    let pairs = 0;
    let tx = -1;
    let first = -1;
    const rows = db.prepare('SELECT tx_id, address_id FROM inputs WHERE address_id IS NOT NULL ORDER BY tx_id, n').raw().iterate() as IterableIterator<[number, number]>;
    for (const [txId, addr] of rows) {
      pairs++;
      if (txId !== tx) {
        tx = txId;
        first = addr;
        continue;
      }
      let a = find(first);
      let b = find(addr);
      if (a === b) continue;
      if (size[a] < size[b]) [a, b] = [b, a];
      parent[b] = a;
      size[a] += size[b];
      unions++;
    }
    return { pairs, unions };
  });
  const transactions = db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
  db.close();
  return { seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, ...value };
}

/**
 * Incremental clustering of one block: a store holding every block of the chain but the last, clustered; then the
 * last block is ingested and `updateClusters` (what runs after an ingest) is timed.
 */
export async function clusterIncrementalCase(params: { blks: string[] }): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const frames: Buffer[] = [];
    for (const blk of params.blks) {
      const data = readFileSync(blk);
      for (const f of readBlkFrames((o, n) => data.subarray(o, o + n), data.length, blk)) frames.push(data.subarray(f.offset, f.offset + 8 + f.bytes.length));
    }
    writeFileSync(join(dir, 'head.dat'), Buffer.concat(frames.slice(0, -1)));
    writeFileSync(join(dir, 'last.dat'), frames[frames.length - 1]);
    const store = openSqliteStore(join(dir, 'case.db'), { create: true });
    await ingestFiles(store, [join(dir, 'head.dat')], { at: '2026-01-01T00:00:00.000Z' });
    rebuildClusters(store, 'bitcoin', parseRuleSet(CLUSTER_RULES), { at: '2026-01-01T00:00:00.000Z' });
    const last = await ingestFiles(store, [join(dir, 'last.dat')], { at: '2026-01-01T00:00:00.000Z' });
    const { seconds, cpuSeconds, value } = await timed(() => updateClusters(store, { at: '2026-01-01T00:00:01.000Z' }));
    const before = store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
    store.close();
    return { seconds, cpuSeconds, blockTransactions: last.transactions, storeTransactions: before, txPerSec: last.transactions / seconds, read: value.reduce((s, v) => s + v.transactions, 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
