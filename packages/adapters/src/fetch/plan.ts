import { type Chain, CtraceError, type IngestResult, type InputCorrection, isCtraceError } from '@cryptotrace/core';
import { correctionsNote } from '../store/sqlite/write.js';
import { asSourceInvalid } from '../http/errors.js';
import { writeImmediately } from '../store/sqlite/open.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import type { ChainSource, SourceRecords } from '../sources/source.js';
import { type FrontierNode, createFrontier } from './frontier.js';
import { type FetchDirection, neighboursOf } from './neighbours.js';
import { type Prepared, prepareStep } from './steps.js';

/** What to fetch: one transaction, one address, one block, or a range of block heights. */
export type FetchTarget =
  | { kind: 'tx'; txid: string }
  | { kind: 'address'; address: string }
  | { kind: 'block'; block: string | number }
  | { kind: 'blocks'; from: number; to: number };

export interface FetchParameters {
  chain: Chain;
  target: FetchTarget;
  /** Hops to expand from the target's transactions (default 0: the target only). */
  hops?: number;
  direction?: FetchDirection;
  /** Budget: the most transactions the expansion admits (default 1,000). Blocks are not limited by it. */
  maxTxs?: number;
  /** Bounds on paging address histories, so that a source that repeats or never ends its pages cannot keep a fetch going. */
  paging?: Partial<PagingLimits>;
  /** Fetch the previous transactions of unresolved inputs, so values and fees are known (default true). */
  resolveInputs?: boolean;
  /** Nodes processed per wave; their requests run in parallel under the source's concurrency limit (default 8). */
  wave?: number;
  /** The time recorded in provenance (default now). */
  at?: string;
  onProgress?: (p: FetchProgress) => void;
  /** Checked between commits: true stops the run; what was committed stays and the job resumes next time. */
  shouldStop?: () => boolean;
}

/** Bounds on address-history paging; a history cut at one is reported in `FetchSummary.cut`. */
export interface PagingLimits {
  /** Pages of one address's history in one run (default 1,000: 25,000 transactions on Esplora). */
  addressPages: number;
  /** Bytes of one address's history pages in one run (default 256 MiB). */
  addressBytes: number;
  /** Address-history pages of all addresses in one run (default 20,000). */
  runPages: number;
  /** Bytes of all address-history pages in one run (default 2 GiB). */
  runBytes: number;
}

export const DEFAULT_PAGING: PagingLimits = { addressPages: 1000, addressBytes: 256 * 1024 ** 2, runPages: 20_000, runBytes: 2 * 1024 ** 3 };

export interface FetchProgress {
  done: number;
  pending: number;
  admitted: number;
  maxTxs: number;
  fetched: number;
}

export interface FetchSummary extends Omit<IngestResult, 'correctedInputs'> {
  job: number;
  /** The job existed already: this run resumed it (or found it complete). */
  resumed: boolean;
  /** The job had completed before: nothing was fetched. */
  alreadyComplete: boolean;
  interrupted: boolean;
  /** Requests answered by the source for transactions and blocks (cache hits are not counted). */
  fetchedTransactions: number;
  fetchedParents: number;
  fetchedBlocks: number;
  /** Transactions admitted to the budget (the target's included). */
  admitted: number;
  budgetReached: boolean;
  /** Nodes the source (or, offline, the store) did not have. */
  missing: { kind: string; key: string }[];
  /** Address histories whose paging was stopped (a repeated cursor, a bound reached): the rest is not fetched. */
  cut: { kind: 'address'; key: string; pages: number; bytes: number; reason: string }[];
  /** Inputs whose claimed value (the source's word) their previous transaction, fetched later, contradicted: corrected to it. */
  correctedInputs: InputCorrection[];
  /** Things the investigator should know (a source that cannot trace forward, ...). */
  notes: string[];
}

/**
 * Fetch a neighbourhood into the store, breadth-first within a budget, cache-first (the store is read before
 * the source is asked; with `source` null, offline, it never is), resumable: the plan and its frontier are kept
 * in the store and committed together with each step's data through `store.write`, with provenance.
 * @param store an open SQLite case store
 * @param source the chain source, or null for offline
 * @returns what was fetched, stored and left out
 * @throws SourceError when the source fails after its retries (what was committed before stays)
 * @example await fetchNeighbourhood(store, source, { chain, target: { kind: 'tx', txid }, hops: 2, direction: 'both' })
 */
export async function fetchNeighbourhood(store: SqliteStore, source: ChainSource | null, p: FetchParameters): Promise<FetchSummary> {
  const { chain, target } = p;
  const hops = target.kind === 'block' || target.kind === 'blocks' ? 0 : p.hops ?? 0;
  const direction = p.direction ?? 'both';
  const maxTxs = p.maxTxs ?? 1000;
  const at = p.at ?? new Date().toISOString();
  if (source && source.chain.name !== chain.name) throw new CtraceError('INTERNAL', `source is for ${source.chain.name}, not ${chain.name}`);
  const frontier = createFrontier(store.db);
  // Each step commits in one write transaction (BEGIN IMMEDIATE: a writer busy elsewhere is waited for).
  const inWrite = <T>(fn: () => T): T => writeImmediately(store.db, () => store.db.transaction(fn).immediate());
  const spec = JSON.stringify({ chain: chain.name, target, hops, direction, maxTxs });
  const job = inWrite(() => frontier.openJob(chain.name, spec, at));
  const sum: FetchSummary = {
    job: job.id, resumed: job.resumed, alreadyComplete: job.state === 'done', interrupted: false, blocks: 0, transactions: 0, duplicates: 0, resolvedInputs: 0,
    fetchedTransactions: 0, fetchedParents: 0, fetchedBlocks: 0, admitted: job.admitted, budgetReached: false, missing: [], cut: [], correctedInputs: [], notes: [],
  };
  if (job.state === 'done') return finish();
  if (!job.resumed) inWrite(() => seed());
  const note = (text: string) => void (sum.notes.includes(text) || sum.notes.push(text));
  // Steps of one wave that need the same transaction (a shared parent) ask the source once.
  const inflight = new Map<string, Promise<SourceRecords>>();
  const getTransaction = async (txid: string) => {
    const known = inflight.get(txid);
    if (known) return { records: await known, fresh: false };
    const asked = source!.getTransaction(txid);
    inflight.set(txid, asked);
    return { records: await asked, fresh: true };
  };
  const paging = { ...DEFAULT_PAGING, ...p.paging };
  // Paging of this run: per address node (by seq), the pages, bytes and cursors seen; and in all.
  const paged = new Map<number, { pages: number; bytes: number; cursors: Set<string> }>();
  const run = { pages: 0, bytes: 0 };
  const ctx = { chain, store, source, hops, direction, resolveInputs: p.resolveInputs ?? true, blockFetched: (k: string) => frontier.blockFetched(chain.name, k), getTransaction };

  for (;;) {
    if (p.shouldStop?.()) return finish(true);
    const wave = frontier.pending(job.id, p.wave ?? 8);
    if (wave.length === 0) break;
    const results = await Promise.allSettled(wave.map((n) => prepareStep(ctx, n)));
    inflight.clear();
    for (const [k, r] of results.entries()) {
      // A request abandoned because the user interrupted: the steps before it are committed, the run stops.
      if (r.status === 'rejected' && p.shouldStop?.() && isCtraceError(r.reason, 'INTERRUPTED')) return finish(true);
      if (r.status === 'rejected') throw r.reason;
      inWrite(() => commit(wave[k], r.value));
      report();
      if (p.shouldStop?.()) return finish(true);
    }
  }
  inWrite(() => frontier.finish(job.id, new Date().toISOString()));
  return finish();

  function seed(): void {
    const nodes: { kind: FrontierNode['kind']; key: string; depth: number }[] = [];
    if (target.kind === 'tx') nodes.push({ kind: 'tx', key: target.txid, depth: 0 });
    if (target.kind === 'address') nodes.push({ kind: 'address', key: target.address, depth: 0 });
    if (target.kind === 'block') nodes.push({ kind: 'block', key: String(target.block), depth: 0 });
    if (target.kind === 'blocks') for (let h = target.from; h <= target.to; h++) nodes.push({ kind: 'block', key: String(h), depth: 0 });
    admitTxs(nodes);
  }

  /** Enqueue nodes, letting transactions in only while the budget lasts. */
  function admitTxs(nodes: { kind: FrontierNode['kind']; key: string; depth: number }[]): void {
    for (const n of nodes) {
      if (n.kind === 'tx' && sum.admitted >= maxTxs) {
        sum.budgetReached = true;
        continue;
      }
      if (frontier.enqueue(job.id, [n]) > 0 && n.kind === 'tx') {
        sum.admitted++;
        frontier.admit(job.id, 1);
      }
    }
  }

  function write(node: FrontierNode, records: Prepared['records']): void {
    if (!source) return;
    for (const r of records) {
      let res: IngestResult;
      try {
        res = store.write({ provenance: { source: source.kind, locator: source.locator, format: source.format, at }, ...r });
      } catch (err) {
        // An answer that contradicts what the store holds (a claimed input value its stored parent denies) is the source's fault.
        throw asSourceInvalid(err, `${source.kind} ${source.locator}`, `${node.kind} ${node.key}`);
      }
      sum.blocks += res.blocks;
      sum.transactions += res.transactions;
      sum.duplicates += res.duplicates;
      sum.resolvedInputs += res.resolvedInputs;
      sum.correctedInputs.push(...(res.correctedInputs ?? []));
    }
  }

  function commit(node: FrontierNode, r: Prepared): void {
    write(node, r.records);
    if (r.kind === 'block') {
      if (r.fetched) sum.fetchedBlocks++;
      sum.fetchedParents += r.parents ?? 0;
      frontier.settle(job.id, node.seq, r.missing ? 'missing' : 'done');
      return;
    }
    if (r.kind === 'address') {
      if (r.fromStore && source) note(`${source.kind} cannot list an address's history: ${node.key} was expanded from the store only (use --esplora-url or --explorer-api-url)`);
      admitTxs(r.txids.map((key) => ({ kind: 'tx' as const, key, depth: node.depth })));
      const cut = r.next === null ? null : pagingCut(node, r.next, r.bytes);
      if (cut) {
        const st = paged.get(node.seq)!;
        sum.cut.push({ kind: 'address', key: node.key, pages: st.pages, bytes: st.bytes, reason: cut });
        note(`the history of ${node.key} was cut after ${st.pages} pages (${st.bytes} bytes) in this run: ${cut}; what the pages before listed is kept`);
      }
      if (r.next !== null && !cut && sum.admitted < maxTxs) frontier.setCursor(job.id, node.seq, r.next);
      else frontier.settle(job.id, node.seq, 'done');
      return;
    }
    sum.fetchedTransactions += r.fetched;
    sum.fetchedParents += r.parents;
    if (!r.tx) {
      frontier.settle(job.id, node.seq, 'missing');
      return;
    }
    if (node.depth < hops) {
      const n = neighboursOf(r.tx, direction, store, r.spenders);
      if (n.unknownSpenders > 0 && source) note(`${source.kind} cannot find where outputs were spent: forward hops follow only spenders already in the store (use --esplora-url)`);
      admitTxs([...n.txids.map((key) => ({ kind: 'tx' as const, key, depth: node.depth + 1 })), ...n.addresses.map((key) => ({ kind: 'address' as const, key, depth: node.depth + 1 }))]);
    }
    frontier.settle(job.id, node.seq, 'done');
  }

  /**
   * Count a page of an address's history and say why its paging must stop, or null to go on. A source that
   * answers a page again gives its cursor again (Esplora's cursor is the page's last txid), so a repeated cursor
   * catches repeated pages and cycles; the bounds catch a history that never ends.
   */
  function pagingCut(node: FrontierNode, next: string, bytes: number): string | null {
    let st = paged.get(node.seq);
    if (!st) paged.set(node.seq, (st = { pages: 0, bytes: 0, cursors: new Set() }));
    st.pages++;
    st.bytes += bytes;
    run.pages++;
    run.bytes += bytes;
    if (node.cursor !== null) st.cursors.add(node.cursor);
    if (next === node.cursor) return `the source answered the cursor ${next} with the same page again (a broken source)`;
    if (st.cursors.has(next)) return `the source's pages run in a cycle back to the cursor ${next} (a broken source)`;
    if (st.pages >= paging.addressPages) return `${paging.addressPages} pages is the limit per address (--max-pages raises it)`;
    if (st.bytes >= paging.addressBytes) return `${paging.addressBytes} bytes is the limit per address`;
    if (run.pages >= paging.runPages) return `${paging.runPages} pages is the limit of one run`;
    if (run.bytes >= paging.runBytes) return `${paging.runBytes} bytes is the limit of one run`;
    return null;
  }

  function report(): void {
    if (!p.onProgress) return;
    const c = frontier.counts(job.id);
    p.onProgress({ done: c.done + c.missing, pending: c.pending, admitted: sum.admitted, maxTxs, fetched: sum.fetchedTransactions + sum.fetchedBlocks });
  }

  function finish(interrupted = false): FetchSummary {
    sum.interrupted = interrupted;
    // A resumed run does not see the refusals of the runs before it: a full budget says the same.
    if (sum.admitted >= maxTxs) sum.budgetReached = true;
    sum.missing = frontier.missing(job.id);
    const corrected = correctionsNote(sum.correctedInputs);
    if (corrected) note(corrected);
    return sum;
  }
}
