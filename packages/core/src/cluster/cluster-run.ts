import type { Evidence } from '../heuristics/cluster/evidence.js';
import { keyForms } from '../heuristics/cluster/pubkey-reuse.js';
import { accountBlockLinks } from './account-block-links.js';
import { accountLinks } from './account-links.js';
import { chainContext, chunkContext, type RunContext } from './cluster-context.js';
import type { ClusterOp, ClusterRunState, ClusterStore } from './cluster-store.js';
import { applyLink, type ClusterEvents, clusterHolderIdTx, clusterView, needsModel } from './cluster-utxo-tx.js';
import { createGuardedUnion, type GuardedUnion } from './guards.js';
import { type ClusterRuleSet } from './rule-set.js';
import { factsCursor, factsHolderIdTx, factsWaiting, type FactsNeed, type TxFacts } from './tx-facts.js';
import { createUnionFind } from './union-find.js';

export interface ClusterRunOptions {
  /** ISO time recorded with the run (default now). */
  at?: string;
  /** Transactions per committed chunk (default 5,000). */
  chunkSize?: number;
  onProgress?: (p: { chain: string; transactions: number }) => void;
}

/** What one clustering run did on one chain. */
export interface ClusterRunSummary {
  chain: string;
  mode: 'rebuild' | 'update';
  /** Transactions read (new ones and retried ones). */
  transactions: number;
  /** Unions made, by rule. */
  links: Record<string, number>;
  coinjoins: number;
  /** Ambiguous equal-output transactions the guard gave no link (apart from the CoinJoins). */
  ambiguous: number;
  refused: number;
  ruleSet: ClusterRuleSet;
}

/** Transactions read at a time (at most; fewer when a run commits more often). */
const READ_CHUNK = 1000;

/**
 * Cluster one chain of a store with a rule set: a rebuild (the store's clusters reset first, `store.reset`)
 * reads every transaction in row order, an update only those stored after the last clustered one (plus those
 * that waited for their inputs and, for change and peel rules, the parents of new ones), with the stored clusters
 * of what it touches. Every chunk's unions, guard events and run state go to the store together; a rebuild's
 * membership is written once at its end. The store only reads and writes (ClusterStore).
 * @example runClusters(store, parseRuleSet('multi-input,change'), 'rebuild')
 */
export function runClusters(store: ClusterStore, set: ClusterRuleSet, mode: 'rebuild' | 'update', opts: ClusterRunOptions = {}): ClusterRunSummary {
  const chain = store.chain;
  const at = opts.at ?? new Date().toISOString();
  const prior = store.loadRun();
  const state: ClusterRunState = prior ?? { chain, ruleSet: set, lastTxId: 0, lastAddressId: 0, lastAccountTxId: 0, builtAt: at, updatedAt: at, complete: false };
  const summary: ClusterRunSummary = { chain, mode, transactions: 0, links: {}, coinjoins: 0, ambiguous: 0, refused: 0, ruleSet: set };
  if (mode === 'update' && prior && !store.hasWork(prior)) return summary;
  const maxAddress = store.addressCapacity();
  const uf = createUnionFind(maxAddress);
  // An update reads the stored clusters of the addresses it touches, as it touches them (an account chain whose
  // new blocks do not all come after the stored ones reads every transaction again, and the clusters whole). A
  // rebuild starts empty.
  const utxo = store.kind === 'utxo';
  const freshAccount = mode === 'update' && !utxo ? store.freshAccountTransactions(state.lastAccountTxId) : null;
  const loaded = new Uint8Array(maxAddress);
  const load = mode === 'update' && (utxo || freshAccount) ? (ids: Iterable<number>) => store.loadIds(uf, ids, loaded) : () => {};
  if (mode === 'update' && !utxo && !freshAccount) store.loadAll(uf);
  const owners = store.owners(set.guards.labelConfidence);
  load(owners.keys());
  const g = createGuardedUnion(uf, set.guards, owners);
  const out: { ops: ClusterOp[] } = { ops: [] };
  const events: ClusterEvents = {
    onLink: (a, b, evidence, merge) => {
      out.ops.push({ kind: 'link', a, b, evidence, merge });
      summary.links[evidence.rule] = (summary.links[evidence.rule] ?? 0) + 1;
    },
    onRefuse: (refusal) => {
      out.ops.push({ kind: 'refusal', refusal });
      summary.refused++;
    },
    onCoinjoin: (_tx, flags) => {
      out.ops.push({ kind: 'coinjoin', evidence: flags[0] });
      summary.coinjoins++;
    },
    onAmbiguous: (_tx, evidence) => {
      out.ops.push({ kind: 'ambiguous', evidence });
      summary.ambiguous++;
    },
  };
  const marks = () => `${state.lastTxId}:${state.lastAddressId}:${state.lastAccountTxId}`;
  let written = prior ? marks() : '';
  const flush = () => {
    if (out.ops.length === 0 && marks() === written) return;
    written = marks();
    state.updatedAt = at;
    store.write(out.ops, state, mode === 'update');
    out.ops = [];
  };

  if (utxo) utxoPass(store, set, mode, state, g, events, load, summary, out, flush, opts);
  if (utxo && set.rules.includes('pubkey-reuse')) linkKeyForms(store, state, g, events, load);
  else if (utxo) state.lastAddressId = maxAddress - 1;
  if (!utxo) {
    const last = store.lastAccountTxId();
    if (last > state.lastAccountTxId) {
      const known = { exchanges: store.labelled(['exchange']), miners: store.labelled(['miner', 'mining_pool']) };
      const txs = freshAccount ?? store.accountTransactions();
      const links = freshAccount ? accountBlockLinks(freshAccount, store.accountNeighbourhood(state.lastAccountTxId), set, known) : accountLinks(txs, set, known);
      const ids = links.map((l) => [store.addressId(l.from), store.addressId(l.to)] as const);
      load(ids.flat());
      links.forEach((link, k) => applyLink(g, ids[k][0], ids[k][1], link.evidence, events));
      summary.transactions += txs.length;
      state.lastAccountTxId = last;
    }
    state.lastAddressId = maxAddress - 1;
  }
  if (mode === 'rebuild') {
    state.updatedAt = at;
    store.finish(out.ops, uf, state);
    state.complete = true;
    out.ops = [];
  } else flush();
  return summary;
}

/**
 * The UTXO transactions of a run, in chunks: pending ones retried first, then those after the last clustered
 * row, committed every `chunkSize`; for change and peel rules in an update, the parents of new transactions
 * judged again by those rules at the end.
 */
function utxoPass(
  store: ClusterStore, set: ClusterRuleSet, mode: 'rebuild' | 'update', state: ClusterRunState, g: GuardedUnion, events: ClusterEvents,
  load: (ids: Iterable<number>) => void, summary: ClusterRunSummary, out: { ops: ClusterOp[] }, flush: () => void, opts: ClusterRunOptions,
): void {
  const chain = store.chain;
  const model = needsModel(set);
  const lookup = model && mode === 'update' ? chunkContext(store) : null;
  // A rebuild's context gives every transaction's features (chainContext): its pass reads no header fields or sequences.
  const need: FactsNeed = !model ? 'ids' : lookup ? 'all' : 'view';
  const context: RunContext | null = !model ? null : (lookup ?? chainContext(store));
  const cursor = factsCursor();
  const pending = (rowId: number, on: boolean) => out.ops.push({ kind: 'pending', rowId, on });
  const loadFacts = (f: TxFacts) => {
    load(f.inAddr);
    load(f.outAddr);
    lookup?.load(f);
    return f;
  };
  const judge = (f: TxFacts, k: number, rules: ClusterRuleSet) => {
    context?.at(f, k);
    const verdict = clusterHolderIdTx(g, factsHolderIdTx(f, k), rules, events);
    if (verdict === null || verdict.guarded || !model) return;
    cursor.at(f, k);
    clusterView(g, cursor, context!.ctx, rules, verdict, events);
  };
  const retried = loadFacts(store.readRows(store.pendingRows(), need));
  for (let k = 0; k < retried.count; k++) {
    summary.transactions++;
    judge(retried, k, set);
    if (!factsWaiting(retried, k)) pending(retried.rowId[k], false);
  }
  flush();
  // The last row clustered before this run: an update's change and peel rules look at the parents up to it again.
  const before = state.lastTxId;
  const revisit = new Set<number>();
  const commitEvery = opts.chunkSize ?? 5000;
  let unflushed = 0;
  for (;;) {
    const f = loadFacts(store.read(state.lastTxId, Math.min(READ_CHUNK, commitEvery), need));
    if (f.count === 0) break;
    for (let k = 0; k < f.count; k++) {
      summary.transactions++;
      judge(f, k, set);
      if (factsWaiting(f, k)) pending(f.rowId[k], true);
    }
    if (model && mode === 'update') for (const row of store.parentsOf(f.rowId)) if (row <= before) revisit.add(row);
    state.lastTxId = f.rowId[f.count - 1];
    unflushed += f.count;
    if (unflushed >= commitEvery) {
      flush();
      unflushed = 0;
      opts.onProgress?.({ chain, transactions: summary.transactions });
    }
  }
  if (unflushed > 0) {
    flush();
    opts.onProgress?.({ chain, transactions: summary.transactions });
  }
  if (revisit.size > 0) {
    const lookBack = { ...set, rules: set.rules.filter((r) => r === 'change' || r === 'peel-chain') };
    const parents = loadFacts(store.readRows([...revisit].sort((a, b) => a - b), need));
    for (let k = 0; k < parents.count; k++) judge(parents, k, lookBack);
  }
}

/** pubkey-reuse over the addresses stored since the last run: each new key form linked to its other forms. */
function linkKeyForms(store: ClusterStore, state: ClusterRunState, g: GuardedUnion, events: ClusterEvents, load: (ids: Iterable<number>) => void): void {
  const chain = store.chain;
  for (;;) {
    const rows = store.addressesAfter(state.lastAddressId, 10_000);
    if (rows.length === 0) return;
    const forms: string[] = [];
    const ownerOfForm: number[] = [];
    for (const [id, address] of rows) {
      for (const form of keyForms(chain, address, { crossChain: false, confidence: 1 })) {
        forms.push(form.holder);
        ownerOfForm.push(id);
      }
    }
    const pairs = store.present(forms);
    load(pairs.flatMap(([k, other]) => [ownerOfForm[k], other]));
    for (const [k, other] of pairs) {
      const id = ownerOfForm[k];
      if (other > id) continue;
      const seen = store.firstTxOf(id);
      const evidence: Evidence = { rule: 'pubkey-reuse', version: 1, chain, txid: seen?.txid ?? '', outputIndex: null, logIndex: null, blockHeight: seen?.height ?? null, confidence: 1, params: { crossChain: false } };
      applyLink(g, other, id, evidence, events);
    }
    state.lastAddressId = rows[rows.length - 1][0];
  }
}
