import { type Chain, type Spender, type UtxoTransaction, isCtraceError } from '@cryptotrace/core';
import { missingParents } from './parents.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import { type ChainSource, type ChainTransaction, type SourceRecords, findTransaction } from '../sources/source.js';
import type { FrontierNode } from './frontier.js';
import type { FetchDirection } from './neighbours.js';

/** What the network side of one frontier step brought back, before it is committed. */
export type Prepared =
  | { kind: 'tx'; tx: ChainTransaction | null; records: SourceRecords[]; spenders: (Spender | null)[] | null; fetched: number; parents: number }
  | { kind: 'address'; txids: string[]; records: SourceRecords[]; next: string | null; fromStore: boolean; bytes: number }
  | { kind: 'block'; records: SourceRecords[]; fetched: boolean; missing: boolean; parents?: number };

export interface StepContext {
  chain: Chain;
  store: SqliteStore;
  /** Null when offline. */
  source: ChainSource | null;
  hops: number;
  direction: FetchDirection;
  resolveInputs: boolean;
  blockFetched: (key: string) => boolean;
  /** The source's getTransaction, shared by the steps of one wave: `fresh` is true for the first asker only. */
  getTransaction: (txid: string) => Promise<{ records: SourceRecords; fresh: boolean }>;
}

const notFound = (err: unknown) => isCtraceError(err, 'NOT_FOUND');

/**
 * The network half of a step: read the store first and ask the source only for what it lacks. A transaction
 * the source does not know comes back as `tx: null` (recorded as missing), except at depth 0 where the caller's
 * target must exist. Other errors propagate: the run stops after committing what came before.
 */
export async function prepareStep(c: StepContext, node: FrontierNode): Promise<Prepared> {
  if (node.kind === 'block') return prepareBlock(c, node);
  if (node.kind === 'address') return prepareAddress(c, node);
  const records: SourceRecords[] = [];
  let tx = c.store.getTransaction(c.chain.name, node.key) as ChainTransaction | null;
  let fetched = 0;
  if (!tx && c.source) {
    try {
      const r = await c.getTransaction(node.key);
      tx = findTransaction(r.records, node.key);
      records.push(r.records);
      if (r.fresh) fetched++;
    } catch (err) {
      if (!notFound(err) || node.depth === 0) throw err;
    }
  }
  if (!tx) return { kind: 'tx', tx: null, records, spenders: null, fetched, parents: 0 };
  const parents = 'txid' in tx ? await fetchParents(c, [tx], records) : 0;
  let spenders: (Spender | null)[] | null = null;
  const wantsForward = c.direction !== 'in' && node.depth < c.hops && 'txid' in tx;
  if (wantsForward && c.source?.capabilities.spenders && c.source.getSpenders) {
    const t = tx as Extract<ChainTransaction, { txid: string }>;
    if (t.outputs.some((o) => o.scriptType !== 'nulldata' && !c.store.spenderOf(c.chain.name, t.txid, o.index))) spenders = await c.source.getSpenders(t.txid);
  }
  return { kind: 'tx', tx, records, spenders, fetched, parents };
}

async function prepareAddress(c: StepContext, node: FrontierNode): Promise<Prepared> {
  if (!c.source?.capabilities.addressHistory || !c.source.getAddressHistory) {
    const txids = c.store.addressHistory(c.chain.name, node.key).map((a) => a.txid);
    return { kind: 'address', txids: [...new Set(txids)], records: [], next: null, fromStore: true, bytes: 0 };
  }
  const page = await c.source.getAddressHistory(node.key, node.cursor);
  return { kind: 'address', txids: page.txids, records: [page.records], next: page.next, fromStore: false, bytes: page.bytes ?? 0 };
}

async function prepareBlock(c: StepContext, node: FrontierNode): Promise<Prepared> {
  const id: string | number = /^\d+$/.test(node.key) ? Number(node.key) : node.key;
  if (c.blockFetched(node.key) || completeInStore(c, id)) return { kind: 'block', records: [], fetched: false, missing: false };
  if (!c.source) return { kind: 'block', records: [], fetched: false, missing: true };
  let records: SourceRecords;
  try {
    records = await c.source.getBlock(id);
  } catch (err) {
    if (!notFound(err)) throw err;
    return { kind: 'block', records: [], fetched: false, missing: true };
  }
  const all = [records];
  const parents = await fetchParents(c, records.utxoTransactions ?? [], all);
  // Parents first: the block's inputs resolve against them as it is written.
  return { kind: 'block', records: [...all.slice(1), records], fetched: true, missing: false, parents };
}

/**
 * Fetch the previous transactions of the inputs, unless the store or these transactions hold them, so that the
 * store knows values and fees (Bitcoin Core's verbose answers before v23 carry no prevouts) and checks the values
 * a source claims (Esplora's prevouts: the txid does not cover them) against the transactions that made them.
 * Appends their records; returns how many were fetched.
 */
async function fetchParents(c: StepContext, txs: UtxoTransaction[], records: SourceRecords[]): Promise<number> {
  if (!c.source || !c.resolveInputs) return 0;
  const wanted = missingParents(c.store, c.chain.name, txs);
  const got = await Promise.all(wanted.map((p) => c.getTransaction(p).catch((err) => (notFound(err) ? null : Promise.reject(err)))));
  for (const r of got) if (r) records.push(r.records);
  return got.filter((r) => r?.fresh).length;
}

/** A UTXO block whose header and every transaction are stored already (ingested from files, say). */
function completeInStore(c: StepContext, id: string | number): boolean {
  if (c.chain.kind !== 'utxo') return false;
  const header = c.store.getBlock(c.chain.name, id);
  if (!header) return false;
  const n = c.store.db.prepare('SELECT count(*) FROM txs WHERE chain = ? AND block_hash = ?').pluck().get(c.chain.name, header.hash) as number;
  return n === header.txCount && n > 0;
}
