import type { AccountTransaction } from '../model/account.js';
import type { AccountNeighbourhood } from './account-block-links.js';
import type { Evidence } from '../heuristics/cluster/evidence.js';
import type { Merge, Refusal } from './guards.js';
import type { ClusterRuleSet } from './rule-set.js';
import type { FactsNeed, TxFacts } from './tx-facts.js';
import type { UnionFind } from './union-find.js';

/** A chain's clustering state as a store keeps it. */
export interface ClusterRunState {
  chain: string;
  ruleSet: ClusterRuleSet;
  lastTxId: number;
  lastAddressId: number;
  lastAccountTxId: number;
  builtAt: string;
  updatedAt: string;
  /** False while a rebuild runs: its membership is written at its end; `lastTxId` says how far it got. */
  complete: boolean;
}

/** One write of a clustering run, buffered while a chunk is judged and written with it. */
export type ClusterOp =
  | { kind: 'link'; a: number; b: number; evidence: Evidence; merge: Merge }
  | { kind: 'refusal'; refusal: Refusal }
  | { kind: 'coinjoin'; evidence: Evidence }
  | { kind: 'ambiguous'; evidence: Evidence }
  | { kind: 'pending'; rowId: number; on: boolean };

/** An output (`vout` of the transaction at row `prev`) and the transaction at row `spender` that spends it. */
export type Spend = [prev: number, vout: number, spender: number];

/**
 * What a clustering run (`runClusters`) asks of a store, for one chain: compact facts in, links, events and
 * members out. Transactions are named by row id (the order they were stored in), holders by integer address id.
 * The store reads and writes; every decision is the run's.
 */
export interface ClusterStore {
  readonly chain: string;
  /** 'utxo' or 'account'. */
  readonly kind: string;
  /** One more than the largest address id. */
  addressCapacity(): number;
  /** The next transactions after row `after` in row order, at most `limit` (count 0 at the end). */
  read(after: number, limit: number, need: FactsNeed): TxFacts;
  /** Given rows (ascending), as `read` gives them. */
  readRows(rows: readonly number[], need: FactsNeed): TxFacts;
  /** Every output of the chain that a transaction of the chain spends (any order). */
  spends(): Iterable<Spend>;
  /** The spends of the outputs of some rows. */
  spendsOf(rows: readonly number[]): Spend[];
  /** The rows of the transactions whose outputs some rows spend (this chain's, distinct). */
  parentsOf(rows: readonly number[]): number[];
  /** Each address's first row naming it (as input or output holder); absent when none. */
  firstRows(ids: readonly number[]): Map<number, number>;
  /** Address id -> owner (a label's actor) for labels of at least `minConfidence`. */
  owners(minConfidence: number): Map<number, string>;

  loadRun(): ClusterRunState | null;
  /** Whether an update has anything to read: new transactions or addresses, or inputs waiting to be retried. */
  hasWork(run: ClusterRunState): boolean;
  pendingRows(): number[];
  /** Forget the chain's clusters and mark a rebuild with `ruleSet` under way. */
  reset(ruleSet: ClusterRuleSet, at: string): void;
  /** Put the stored clusters of some addresses into a union-find (`loaded` marks what was read). */
  loadIds(uf: UnionFind, ids: Iterable<number>, loaded: Uint8Array): void;
  /** Put all of the chain's stored clusters into a union-find. */
  loadAll(uf: UnionFind): void;
  /** Write a chunk's operations and the run state together; `members` keeps membership current (an update). */
  write(ops: ClusterOp[], state: ClusterRunState, members: boolean): void;
  /** End a rebuild: the last operations, membership from the union-find (clusters of two or more) and the run marked complete. */
  finish(ops: ClusterOp[], uf: UnionFind, state: ClusterRunState): void;

  /** pubkey-reuse: addresses stored after id `after`, at most `limit`, in id order. */
  addressesAfter(after: number, limit: number): [id: number, address: string][];
  /** Which of some holders are stored: [index in `holders`, address id]. */
  present(holders: readonly string[]): [index: number, id: number][];
  /** The first transaction naming an address (txid and height), or null. */
  firstTxOf(id: number): { txid: string; height: number | null } | null;

  /** Account chains: the largest account transaction id, and every account transaction in chain order. */
  lastAccountTxId(): number;
  accountTransactions(): AccountTransaction[];
  /**
   * The account transactions stored after row `afterId`, in chain order, when every one lies in a block above
   * those of the rows up to it (new blocks of a followed chain); else null (the update reads the whole chain).
   */
  freshAccountTransactions(afterId: number): AccountTransaction[] | null;
  /** What the rows up to `upToId` hold around new blocks (accountBlockLinks). */
  accountNeighbourhood(upToId: number): AccountNeighbourhood;
  /** Addresses labelled with one of the categories, sorted. */
  labelled(categories: readonly string[]): string[];
  addressId(address: string): number;
}
