import type { AccountTransaction, Chain, IngestBatch, Spender, UtxoTransaction } from '@cryptotrace/core';
import type { AnnounceBlocksOptions, BlockAnnouncer } from '../notify/hashblock.js';
import type { ZmqEndpoint } from '../notify/zmq-endpoint.js';

/**
 * What a source answered, as core model records ready for `store.write`: the fetch planner adds the
 * provenance (`kind`, `locator`, `format`, time) and writes each answer as one atomic batch.
 */
export type SourceRecords = Omit<IngestBatch, 'provenance'>;

/** A transaction of either model. */
export type ChainTransaction = UtxoTransaction | AccountTransaction;

/** One page of an address's history. */
export interface AddressHistoryPage {
  /** The page's transactions, decoded (a source that lists ids only fetches them before answering). */
  records: SourceRecords;
  /** The page's transaction ids, in the source's order (newest first for Esplora and Etherscan). */
  txids: string[];
  /** Opaque cursor of the next page (the planner persists it to resume), or null after the last page. */
  next: string | null;
  /** The size of the answer in bytes, where the source knows it (the planner bounds bytes per address and per run). */
  bytes?: number;
}

/** What a source can answer beyond transactions and blocks. */
export interface SourceCapabilities {
  /** `getAddressHistory` works (Esplora, Etherscan-compatible APIs; not Bitcoin Core, which has no address index). */
  addressHistory: boolean;
  /** `getSpenders` works (Esplora's outspends; not Bitcoin Core). */
  spenders: boolean;
}

/**
 * A chain source: a node or an explorer API that answers with core model records. Every network source
 * implements it (Bitcoin Core RPC, Esplora, EVM JSON-RPC, Etherscan-compatible APIs), so that the fetch planner
 * (`fetch/`) is source-agnostic. Answers are checked before they are returned (txid matches the one asked,
 * values add up, JSON well-formed); a bad answer throws and nothing of it is returned.
 *
 * Errors: SourceError (`http/errors.ts`) with code SOURCE_UNREACHABLE, SOURCE_INVALID or NOT_FOUND; messages name
 * the source and the request, never a secret.
 */
export interface ChainSource {
  readonly chain: Chain;
  /** Provenance `source`: `bitcoin-core-rpc`, `esplora`, `evm-rpc`, `explorer-api`. */
  readonly kind: string;
  /** Provenance `locator`: the endpoint URL with secrets removed (see `redactUrl`). */
  readonly locator: string;
  /** Provenance `format`: `core-rpc-json`, `esplora-json`, `evm-rpc-json`, `etherscan-json`. */
  readonly format: string;
  readonly capabilities: SourceCapabilities;
  /**
   * One transaction by id (Bitcoin txid, or 0x hash on EVM chains), normalized as `normalizeHash` does. The
   * records hold that transaction, and may hold its block header and token metadata.
   * @throws SourceError NOT_FOUND when the source does not know it
   */
  getTransaction(txid: string): Promise<SourceRecords>;
  /** One block by hash or height, with all its transactions (UTXO chains: its header in `blocks`). */
  getBlock(hashOrHeight: string | number): Promise<SourceRecords>;
  /** The height of the source's best block. */
  tipHeight(): Promise<number>;
  /** A page of an address's confirmed history; `cursor` is null for the first page. Only when `capabilities.addressHistory`. */
  getAddressHistory?(address: string, cursor: string | null): Promise<AddressHistoryPage>;
  /**
   * For each output of a UTXO transaction, where it was spent (null while unspent). Only when
   * `capabilities.spenders`.
   */
  getSpenders?(txid: string): Promise<(Spender | null)[]>;
  /**
   * Announce new blocks as the source learns of them, where it offers that (a Core node's ZMQ `hashblock`): the
   * watch wakes on them and polls as the fallback. `endpoint` replaces the one the source reports.
   */
  announceBlocks?(o: AnnounceBlocksOptions & { endpoint?: ZmqEndpoint }): Promise<BlockAnnouncer>;
  /** Release connections and timers. */
  close?(): Promise<void>;
}

/**
 * The transaction with this id among a source's records.
 * @returns the transaction, or null when the records do not hold it
 */
export function findTransaction(records: SourceRecords, txid: string): ChainTransaction | null {
  return records.utxoTransactions?.find((t) => t.txid === txid) ?? records.accountTransactions?.find((t) => t.hash === txid) ?? null;
}

/** The id of a transaction of either model. */
export function txIdOf(tx: ChainTransaction): string {
  return 'txid' in tx ? tx.txid : tx.hash;
}
