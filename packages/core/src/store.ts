import type { AccountTransaction, TokenInfo } from './model/account.js';
import type { Provenance } from './model/provenance.js';
import type { UtxoBlockHeader, UtxoTransaction } from './model/utxo.js';

/** One atomic write: all of it lands in the store, or none of it. */
export interface IngestBatch {
  provenance: Provenance;
  blocks?: UtxoBlockHeader[];
  utxoTransactions?: UtxoTransaction[];
  accountTransactions?: AccountTransaction[];
  tokens?: TokenInfo[];
}

/** What a batch changed. */
export interface IngestResult {
  blocks: number;
  transactions: number;
  /** Transactions of the batch that the store held already (skipped or completed). */
  duplicates: number;
  /** Inputs that the batch resolved, its own and earlier ones waiting for its outputs. */
  resolvedInputs: number;
  /**
   * Inputs stored earlier whose claimed value or holder (a source's word, their previous transaction not stored
   * then) this batch's transactions contradicted: corrected to what the previous transaction holds.
   */
  correctedInputs?: InputCorrection[];
}

/** A claimed input value or holder that its previous transaction contradicted. */
export interface InputCorrection {
  txid: string;
  index: number;
  prevTxid: string;
  prevVout: number;
  claimedValue: bigint | null;
  actualValue: bigint | null;
}

export interface StoreStats {
  chains: string[];
  blocks: number;
  transactions: number;
  addresses: number;
  inputs: number;
  outputs: number;
  unresolvedInputs: number;
  internalTransfers: number;
  tokenTransfers: number;
  labels: number;
  provenance: number;
}

/** One line of an address's history: a transaction that touched it, and how. */
export interface AddressActivity {
  chain: string;
  txid: string;
  blockHeight: number | null;
  blockTime: number | null;
  /** Base units received by the address in this transaction (outputs, or incoming transfers). */
  received: bigint;
  /** Base units sent from the address in this transaction (spent inputs, or outgoing transfers). */
  sent: bigint;
  /** For account chains, the asset: `native` or the token contract. */
  asset: string;
}

/** Where an output was spent. */
export interface Spender {
  txid: string;
  inputIndex: number;
}

/**
 * The case store as the rest of cryptotrace sees it. The SQLite store of `@cryptotrace/adapters` implements it;
 * a server database can implement it too without touching the core.
 */
export interface CaseStore {
  /** Write one batch atomically; re-writing what is there already changes nothing. */
  write(batch: IngestBatch): IngestResult;
  hasBlock(chain: string, hash: string): boolean;
  getBlock(chain: string, hashOrHeight: string | number): UtxoBlockHeader | null;
  getTransaction(chain: string, txid: string): UtxoTransaction | AccountTransaction | null;
  /** The chains that hold a transaction with this id. */
  chainsOfTransaction(txid: string): string[];
  /** The chains that hold this address (or script id). */
  chainsOfAddress(address: string): string[];
  /** Every transaction that touched an address, oldest first. */
  addressHistory(chain: string, address: string): AddressActivity[];
  spenderOf(chain: string, txid: string, vout: number): Spender | null;
  /** Stream the UTXO transactions of a chain in block order, without holding them all. */
  iterateUtxoTransactions(chain: string): IterableIterator<UtxoTransaction>;
  stats(): StoreStats;
  provenance(): Provenance[];
  /**
   * Optional, for loading whole chains: begin (or resume) a bulk load. Until {@link CaseStore.finishBulkLoad} the
   * store may defer what makes it queryable (secondary indexes, resolving inputs whose previous transaction came
   * later), and refuses other commands; every batch written is still atomic and kept.
   */
  beginBulkLoad?(): void;
  /** Build what the bulk load deferred, in one step that lands whole or not at all. */
  finishBulkLoad?(): BulkLoadFinish;
  close(): void;
}

/** What finishing a bulk load did. */
export interface BulkLoadFinish {
  /** Inputs resolved at the end: their previous transaction was stored after them. */
  resolvedInputs: number;
  /** Indexes built. */
  indexes: number;
}
