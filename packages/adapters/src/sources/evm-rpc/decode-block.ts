import type { AccountTransaction, InternalTransfer } from '@cryptotrace/core';
import { address, hash32, invalidAnswer, isRecord, optionalAddress, quantity, smallQuantity } from './hex.js';
import { decodeTokenTransfers } from './token-transfers.js';

/** A block as eth_getBlockByNumber(n, true) returns it, checked just enough to be read. */
export interface EvmBlock {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number;
  transactions: Record<string, unknown>[];
}

/**
 * Check a block answer: a number, hash, timestamp and full transaction objects that belong to it.
 * @throws CtraceError SOURCE_INVALID
 */
export function readBlock(json: unknown, where: string): EvmBlock {
  if (!isRecord(json)) throw invalidAnswer(where, 'the block is missing (null): the node may not have it');
  const block: EvmBlock = {
    number: smallQuantity(json.number, `${where} number`),
    hash: hash32(json.hash, `${where} hash`),
    parentHash: hash32(json.parentHash, `${where} parentHash`),
    timestamp: smallQuantity(json.timestamp, `${where} timestamp`),
    transactions: Array.isArray(json.transactions) ? json.transactions : [],
  };
  for (const [i, tx] of block.transactions.entries()) {
    if (!isRecord(tx)) throw invalidAnswer(where, 'transactions are hashes, not objects: ask with full transactions');
    if (String(tx.blockHash).toLowerCase() !== block.hash || smallQuantity(tx.transactionIndex, where) !== i) {
      throw invalidAnswer(where, `transaction ${String(tx.hash)} does not sit at position ${i} of block ${block.hash}`);
    }
  }
  return block;
}

/**
 * Turn a block and its receipts into account transactions: value, fee = gasUsed * effectiveGasPrice, status, the
 * contract a creation made and the ERC-20 transfers of its logs. Internal transfers come from traces, separately.
 * A receipt without `status` (before Byzantium) is read as success unless `failed` says the top call failed.
 * @param block the block; its `transactions` may be a subset (one transaction fetched by hash)
 * @param receipts one per transaction, in any order; each must name a transaction of this block
 * @param failed hashes of transactions whose top call failed according to the traces
 * @throws CtraceError SOURCE_INVALID when a receipt is missing or does not match its transaction
 * @example decodeBlockTransactions('ethereum', readBlock(b, w), receipts, w)
 */
export function decodeBlockTransactions(chain: string, block: EvmBlock, receipts: unknown[], where: string, failed: ReadonlySet<string> = new Set()): AccountTransaction[] {
  const byHash = new Map<string, Record<string, unknown>>();
  for (const r of receipts) {
    if (!isRecord(r)) throw invalidAnswer(where, 'a receipt is null: the node may not have it');
    byHash.set(hash32(r.transactionHash, `${where} receipt`), r);
  }
  return block.transactions.map((tx) => {
    const position = smallQuantity(tx.transactionIndex, `${where} transactionIndex`);
    const hash = hash32(tx.hash, `${where} tx ${position}`);
    const r = byHash.get(hash);
    const at = `${where} tx ${hash}`;
    if (!r) throw invalidAnswer(at, 'its receipt is missing');
    if (String(r.blockHash).toLowerCase() !== block.hash) throw invalidAnswer(at, `its receipt is for block ${String(r.blockHash)}`);
    return decodeTransaction(chain, block, position, tx, r, at, failed.has(hash));
  });
}

function decodeTransaction(chain: string, block: EvmBlock, position: number, tx: Record<string, unknown>, r: Record<string, unknown>, at: string, failed: boolean): AccountTransaction {
  const hash = hash32(tx.hash, at);
  const from = address(tx.from, `${at} from`);
  if (r.from !== undefined && address(r.from, `${at} receipt from`) !== from) throw invalidAnswer(at, 'its receipt names another sender');
  const gasUsed = quantity(r.gasUsed, `${at} gasUsed`);
  // Before London receipts have no effectiveGasPrice: the transaction's gasPrice is what was paid.
  const price = quantity(r.effectiveGasPrice ?? tx.gasPrice, `${at} effectiveGasPrice`);
  const status = r.status === undefined || r.status === null ? (failed ? 'reverted' : 'success') : quantity(r.status, `${at} status`) === 1n ? 'success' : 'reverted';
  const tokenTransfers = status === 'success' ? decodeTokenTransfers(r.logs ?? [], at) : [];
  if (tokenTransfers.some((t) => t.txHash !== hash)) throw invalidAnswer(at, 'its receipt holds a log of another transaction');
  return {
    chain,
    hash,
    blockNumber: block.number,
    blockHash: block.hash,
    blockTime: block.timestamp,
    position,
    nonce: smallQuantity(tx.nonce, `${at} nonce`),
    from,
    to: optionalAddress(tx.to, `${at} to`),
    value: quantity(tx.value, `${at} value`),
    fee: gasUsed * price,
    status,
    contractAddress: status === 'success' ? optionalAddress(r.contractAddress, `${at} contractAddress`) : null,
    internalTransfers: [] as InternalTransfer[],
    tokenTransfers: tokenTransfers.map(({ token, from: f, to, value, logIndex }) => ({ token, from: f, to, value, logIndex })),
  };
}
