import { type AccountTransaction, type Chain, CtraceError, type TokenInfo, getChain, normalizeHash } from '@cryptotrace/core';
import { SourceError } from '../../http/errors.js';
import type { ChainSource, SourceRecords } from '../source.js';
import { type EvmBlock, decodeBlockTransactions, readBlock } from './decode-block.js';
import { fetchAddressHistory } from './history.js';
import { hash32, invalidAnswer, isRecord, smallQuantity, toQuantity } from './hex.js';
import { type EvmRpcOptions, createEvmRpc, isUnsupported } from './rpc.js';
import { fetchTokenInfo } from './token-info.js';
import { type TraceMode, createTraceReader } from './trace-reader.js';
import { type TraceCall, internalTransfersOf } from './traces.js';

export interface EvmRpcSourceOptions extends EvmRpcOptions {
  /** The chain (`ethereum`, `polygon`, `anvil`, `evm-<chainId>`, ...). */
  chain: string | Chain;
  /** How to read internal transfers (default `auto`: whichever the node offers). */
  traces?: TraceMode | 'auto';
  /** How to read receipts: `block` (eth_getBlockReceipts), `tx` (one per transaction) or `auto` (default). */
  receipts?: 'block' | 'tx' | 'auto';
  /** Ask token contracts for name, symbol and decimals the first time a token is seen (default true). */
  tokenMetadata?: boolean;
  /** Check eth_chainId against the chain before the first fetch (default true). */
  verifyChainId?: boolean;
  /** Address history: the first block to scan (default 0) and the blocks per page (default 1000). */
  historyFromBlock?: number;
  historyPageBlocks?: number;
  /** Address history: scan every block of a page for native transfers (default true; tokens come from eth_getLogs). */
  nativeScan?: boolean;
  /** One-line notices for the user (a missing capability); default: none. */
  onNotice?: (message: string) => void;
}

/** The EVM JSON-RPC source, with the block decoder its history scan shares. */
export interface EvmRpcSource extends ChainSource {
  /** The decoded block, with the raw block for scans. */
  readBlockRecords(tag: string | number): Promise<{ block: EvmBlock; records: SourceRecords }>;
}

/**
 * An EVM JSON-RPC chain source: blocks with transactions, receipts (eth_getBlockReceipts where offered, one per
 * transaction otherwise), ERC-20 transfers from the logs, internal transfers from trace_* or debug_trace*, token
 * metadata, and an address history from eth_getLogs plus a block-range scan.
 * @throws CtraceError CHAIN_UNKNOWN, USAGE (chain id mismatch); SourceError on fetches
 * @example const src = createEvmRpcSource({ chain: 'anvil', url: 'http://127.0.0.1:8545' }); await src.getBlock(1)
 */
export function createEvmRpcSource(options: EvmRpcSourceOptions): EvmRpcSource {
  const { chain: chainName, traces = 'auto', receipts = 'auto', tokenMetadata = true, verifyChainId = true, onNotice = () => {}, ...rest } = options;
  const chain = typeof chainName === 'string' ? getChain(chainName) : chainName;
  if (chain.kind !== 'account') throw new CtraceError('USAGE', `chain "${chain.name}" is not an EVM chain: use --rpc-url with an EVM node only for EVM chains`);
  const rpc = createEvmRpc(rest);
  const traceReader = createTraceReader(rpc, traces, onNotice);
  const knownTokens = new Set<string>();
  let receiptMode = receipts;
  let checked: Promise<void> | null = null;

  const ready = () => (checked ??= (async () => {
    if (!verifyChainId || chain.chainId === undefined) return;
    const id = smallQuantity(await rpc.call('eth_chainId'), `${rpc.name} eth_chainId`);
    if (id !== chain.chainId) throw new CtraceError('USAGE', `${rpc.name} serves chain id ${id}, not ${chain.name} (${chain.chainId}): name the chain as evm-${id}, or use another --rpc-url`);
  })());

  async function blockReceipts(block: EvmBlock): Promise<unknown[]> {
    if (block.transactions.length === 0) return [];
    if (receiptMode !== 'tx') {
      try {
        const r = await rpc.call<unknown>('eth_getBlockReceipts', [toQuantity(block.number)]);
        if (!Array.isArray(r) || r.length !== block.transactions.length) throw invalidAnswer(`${rpc.name} eth_getBlockReceipts ${block.number}`, `expected ${block.transactions.length} receipts`);
        receiptMode = 'block';
        return r;
      } catch (err) {
        if (receiptMode === 'block' || !isUnsupported(err)) throw err;
        receiptMode = 'tx';
      }
    }
    return Promise.all(block.transactions.map((t) => rpc.call('eth_getTransactionReceipt', [t.hash])));
  }

  async function tokensOf(txs: AccountTransaction[]): Promise<TokenInfo[]> {
    if (!tokenMetadata) return [];
    const fresh = [...new Set(txs.flatMap((t) => t.tokenTransfers.map((x) => x.token)))].filter((t) => !knownTokens.has(t));
    const infos = await Promise.all(fresh.map((t) => fetchTokenInfo(rpc, chain.name, t)));
    for (const t of fresh) knownTokens.add(t);
    return infos;
  }

  /** Receipts, traces, internal transfers and token metadata for the transactions of `block`. */
  async function complete(block: EvmBlock, receiptList: unknown[], traceMap: Map<string, TraceCall[]> | null, where: string): Promise<SourceRecords> {
    const failed = new Set<string>();
    for (const [hash, calls] of traceMap ?? []) if (calls.some((c) => c.traceAddress.length === 0 && c.error !== null)) failed.add(hash);
    const txs = decodeBlockTransactions(chain.name, block, receiptList, where, failed);
    for (const tx of txs) if (tx.status === 'success' && traceMap) tx.internalTransfers = internalTransfersOf(traceMap.get(tx.hash) ?? []);
    return { accountTransactions: txs, tokens: await tokensOf(txs) };
  }

  async function readBlockRecords(tag: string | number) {
    await ready();
    const byHash = typeof tag === 'string' && /^0x[0-9a-fA-F]{64}$/.test(tag);
    const number = byHash ? null : typeof tag === 'number' ? tag : Number(tag);
    if (number !== null && !(Number.isSafeInteger(number) && number >= 0)) throw new CtraceError('USAGE', `"${String(tag)}" is not a block number or 0x block hash`);
    const method = byHash ? 'eth_getBlockByHash' : 'eth_getBlockByNumber';
    const raw = await rpc.call(method, [byHash ? (tag as string).toLowerCase() : toQuantity(number as number), true]);
    if (raw === null) throw new SourceError('NOT_FOUND', 'not-found', rpc.name, `${method} ${String(tag)}`, 'the node does not know this block');
    const where = `${rpc.name} ${method} ${String(tag)}`;
    const block = readBlock(raw, where);
    if (byHash && block.hash !== (tag as string).toLowerCase()) throw invalidAnswer(where, `the answer is block ${block.hash}`);
    if (!byHash && block.number !== number) throw invalidAnswer(where, `the answer is block ${block.number}`);
    const [receiptList, traceMap] = await Promise.all([blockReceipts(block), traceReader.block(block)]);
    return { block, records: await complete(block, receiptList, traceMap, where) };
  }

  async function getTransaction(txid: string): Promise<SourceRecords> {
    await ready();
    const hash = normalizeHash(chain, txid);
    const where = `${rpc.name} eth_getTransactionByHash ${hash}`;
    const tx = await rpc.call<unknown>('eth_getTransactionByHash', [hash]);
    if (tx === null) throw new SourceError('NOT_FOUND', 'not-found', rpc.name, `eth_getTransactionByHash ${hash}`, 'the node does not know this transaction');
    if (!isRecord(tx) || hash32(tx.hash, where) !== hash) throw invalidAnswer(where, 'the answer is another transaction');
    if (tx.blockHash == null) throw new SourceError('NOT_FOUND', 'not-found', rpc.name, `eth_getTransactionByHash ${hash}`, 'the transaction is pending, not mined yet');
    const header = await rpc.call<unknown>('eth_getBlockByHash', [hash32(tx.blockHash, where), false]);
    const head = readBlock(isRecord(header) ? { ...header, transactions: [] } : header, `${rpc.name} eth_getBlockByHash ${String(tx.blockHash)}`);
    const block: EvmBlock = { ...head, transactions: [tx] };
    const index = smallQuantity(tx.transactionIndex, where);
    const [receipt, calls] = await Promise.all([rpc.call('eth_getTransactionReceipt', [hash]), traceReader.transaction(hash, index)]);
    return complete(block, [receipt], calls === null ? null : new Map([[hash, calls]]), where);
  }

  const source: EvmRpcSource = {
    chain,
    kind: 'evm-rpc',
    locator: rpc.locator,
    format: 'evm-rpc-json',
    capabilities: { addressHistory: true, spenders: false },
    getTransaction,
    async getBlock(hashOrHeight) {
      return (await readBlockRecords(hashOrHeight)).records;
    },
    async tipHeight() {
      await ready();
      return smallQuantity(await rpc.call('eth_blockNumber'), `${rpc.name} eth_blockNumber`);
    },
    async getAddressHistory(address, cursor) {
      await ready();
      return fetchAddressHistory({ rpc, chain, source, traceMode: () => traceReader.mode, onNotice, options }, address, cursor);
    },
    readBlockRecords,
  };
  return source;
}
