import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles, openSqliteStore, readBlkFrames, rebuildClusters, updateClusters } from '../../../packages/adapters/dist/index.js';
import { rowWriter } from '../../../packages/adapters/dist/store/sqlite/clusters.js';
import { parseRuleSet } from '../../../packages/core/dist/index.js';
import { openDbOf } from '../adapters.js';
import { Database, type Db } from '../deps.js';
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
 *
 * With `write`, the same union-find over a copy of the store also writes what a rebuild that keeps its evidence
 * must write at the least: one cluster_links row per union (its transaction's txid and height, rule multi-input),
 * committed every 5,000 transactions, then every member of a cluster of two or more and the link and member
 * indexes, into the store's own tables, with the store's own bulk writer (rowWriter: 64 rows per statement). No guards, no rules.
 */
export async function unionFindCase(params: { store: string; write?: boolean }): Promise<Record<string, unknown>> {
  const copy = params.write ? scratchCopy(params.store) : null;
  // Writes go through the store's own opener (its pragmas: WAL, synchronous NORMAL, its page cache).
  const db = copy ? (await openDbOf())(copy.path) : new Database(params.store);
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
    const out = params.write ? bulkWriter(db) : null;
    let unions = 0;
    let pairs = 0;
    let tx = -1;
    let first = -1;
    const unite = (txId: number, addr: number, txid?: string, height?: number | null) => {
      pairs++;
      if (txId !== tx) {
        tx = txId;
        first = addr;
        return;
      }
      let a = find(first);
      let b = find(addr);
      if (a === b) return;
      if (size[a] < size[b]) [a, b] = [b, a];
      parent[b] = a;
      size[a] += size[b];
      unions++;
      out?.link(first, addr, txid!, height ?? null);
    };
    if (out) {
      // A connection that writes cannot hold a read cursor open: the pairs are read 5,000 transactions at a time,
      // each part's writes committed after it.
      const last = db.prepare('SELECT coalesce(max(id), 0) FROM txs').pluck().get() as number;
      const part = db.prepare(`SELECT i.tx_id, i.address_id, t.txid, t.block_height FROM inputs i JOIN txs t ON t.id = i.tx_id
        WHERE i.tx_id >= ? AND i.tx_id < ? AND i.address_id IS NOT NULL ORDER BY i.tx_id, i.n`).raw();
      for (let lo = 1; lo <= last; lo += 5000) {
        for (const [txId, addr, txid, height] of part.all(lo, lo + 5000) as [number, number, string, number | null][]) unite(txId, addr, txid, height);
        out.commit();
      }
    } else {
      const rows = db.prepare('SELECT tx_id, address_id FROM inputs WHERE address_id IS NOT NULL ORDER BY tx_id, n').raw().iterate() as IterableIterator<[number, number]>;
      for (const [txId, addr] of rows) unite(txId, addr);
    }
    if (out) {
      out.finish(n, (a) => {
        const root = find(a);
        return size[root] > 1 ? root : -1;
      });
    }
    return { pairs, unions };
  });
  const transactions = db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
  db.close();
  copy?.done();
  return { seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, ...value };
}

/** The reference's writes: link rows 64 per statement in transactions, then members and indexes (see unionFindCase). */
function bulkWriter(db: Db) {
  db.exec('DELETE FROM cluster_links; DELETE FROM cluster_members; DROP INDEX IF EXISTS cluster_links_a; DROP INDEX IF EXISTS cluster_links_b; DROP INDEX IF EXISTS cluster_members_cluster');
  const links = rowWriter(db, 'cluster_links', ['chain', 'a_id', 'b_id', 'rule', 'version', 'txid', 'output_index', 'log_index', 'block_height', 'confidence', 'params']).begin();
  const members = rowWriter(db, 'cluster_members', ['address_id', 'cluster_id']).begin();
  db.exec('BEGIN');
  return {
    link(a: number, b: number, txid: string, height: number | null) {
      links.add('bitcoin', a, b, 'multi-input', 1, txid, null, null, height, 1, '{}');
    },
    commit() {
      links.end();
      db.exec('COMMIT; BEGIN');
    },
    finish(n: number, rootOf: (a: number) => number) {
      links.end();
      for (let a = 0; a < n; a++) {
        const root = rootOf(a);
        if (root >= 0) members.add(a, root);
      }
      members.end();
      db.exec(`CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);
        CREATE INDEX cluster_links_a ON cluster_links (a_id); CREATE INDEX cluster_links_b ON cluster_links (b_id); COMMIT`);
    },
  };
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
