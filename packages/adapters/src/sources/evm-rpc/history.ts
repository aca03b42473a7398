import { type Chain, CtraceError, normalizeEvmAddress } from '@cryptotrace/core';
import type { AddressHistoryPage, ChainSource, SourceRecords } from '../source.js';
import { address as readAddress, hash32, isRecord, smallQuantity, toQuantity } from './hex.js';
import { type EvmRpc, isUnsupported } from './rpc.js';
import type { TraceMode } from './trace-reader.js';
import { TRANSFER_TOPIC, decodeTokenTransfers } from './token-transfers.js';
import { readBlock } from './decode-block.js';

export interface HistoryContext {
  rpc: EvmRpc;
  chain: Chain;
  source: ChainSource;
  traceMode: () => TraceMode | 'auto';
  onNotice: (message: string) => void;
  options: { historyFromBlock?: number; historyPageBlocks?: number; nativeScan?: boolean };
}

const noticed = new WeakSet<EvmRpc>();

/**
 * One page of an address's history from a plain node, newest blocks first: a window of blocks whose ERC-20
 * transfers from or to the address come from eth_getLogs on the Transfer topic, whose native transfers come from
 * a scan of every block in the window (top-level transactions), and whose internal transfers come from
 * trace_filter where the node offers it. Each transaction found is fetched whole (receipt, traces).
 * @param cursor null for the newest window, else the last block of the next (older) window
 * @returns the page; `next` is null once `historyFromBlock` is reached
 * @throws CtraceError ADDRESS_INVALID, USAGE (bad cursor); SourceError on fetches
 */
export async function fetchAddressHistory(ctx: HistoryContext, address: string, cursor: string | null): Promise<AddressHistoryPage> {
  const { rpc, options } = ctx;
  const addr = normalizeEvmAddress(address);
  const from = options.historyFromBlock ?? 0;
  const size = Math.max(1, options.historyPageBlocks ?? 1000);
  if (cursor !== null && !/^\d+$/.test(cursor)) throw new CtraceError('USAGE', `history cursor "${cursor.slice(0, 40)}" is not a block number`);
  const hi = cursor === null ? await ctx.source.tipHeight() : Number(cursor);
  const lo = Math.max(from, hi - size + 1);
  const found = new Map<string, [number, number]>();
  const range = { fromBlock: toQuantity(lo), toBlock: toQuantity(hi) };
  const topic = `0x${'0'.repeat(24)}${addr.slice(2).toLowerCase()}`;

  for (const topics of [[TRANSFER_TOPIC, topic], [TRANSFER_TOPIC, null, topic]]) {
    const where = `${rpc.name} eth_getLogs ${lo}-${hi}`;
    const logs = await rpc.call<unknown[]>('eth_getLogs', [{ ...range, topics }]);
    for (const t of decodeTokenTransfers(logs, where)) found.set(t.txHash, [t.blockNumber ?? 0, -1]);
  }
  if (options.nativeScan !== false) {
    for (let n = lo; n <= hi; n++) {
      const where = `${rpc.name} eth_getBlockByNumber ${n}`;
      const block = readBlock(await rpc.call('eth_getBlockByNumber', [toQuantity(n), true]), where);
      for (const tx of block.transactions) {
        const touches = readAddress(tx.from, where) === addr || (tx.to != null && readAddress(tx.to, where) === addr);
        if (touches) found.set(hash32(tx.hash, where), [n, smallQuantity(tx.transactionIndex, where)]);
      }
    }
    await internalByTraceFilter(ctx, addr, range, found);
  }

  const ordered = [...found.entries()].sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1]).map(([h]) => h);
  const records: Required<Pick<SourceRecords, 'accountTransactions' | 'tokens'>> = { accountTransactions: [], tokens: [] };
  for (const hash of ordered) {
    const r = await ctx.source.getTransaction(hash);
    records.accountTransactions.push(...(r.accountTransactions ?? []));
    records.tokens.push(...(r.tokens ?? []));
  }
  records.accountTransactions.sort((a, b) => b.blockNumber - a.blockNumber || b.position - a.position);
  return { records, txids: records.accountTransactions.map((t) => t.hash), next: lo > from ? String(lo - 1) : null };
}

/** Transactions in which a contract moved value to or from the address (trace_filter, parity-style nodes only). */
async function internalByTraceFilter(ctx: HistoryContext, addr: string, range: { fromBlock: string; toBlock: string }, found: Map<string, [number, number]>): Promise<void> {
  const mode = ctx.traceMode();
  if (mode === 'none' || mode === 'geth' || mode === 'geth-tx') return notice(ctx);
  for (const side of ['fromAddress', 'toAddress']) {
    let traces: unknown;
    try {
      traces = await ctx.rpc.call('trace_filter', [{ ...range, [side]: [addr.toLowerCase()] }]);
    } catch (err) {
      if (isUnsupported(err)) return notice(ctx);
      throw err;
    }
    for (const t of Array.isArray(traces) ? traces : []) {
      if (!isRecord(t) || t.transactionHash == null || !Array.isArray(t.traceAddress) || t.traceAddress.length === 0) continue;
      found.set(hash32(t.transactionHash, `${ctx.rpc.name} trace_filter`), [smallQuantity(t.blockNumber, 'trace_filter'), smallQuantity(t.transactionPosition, 'trace_filter')]);
    }
  }
}

function notice(ctx: HistoryContext): void {
  if (noticed.has(ctx.rpc)) return;
  noticed.add(ctx.rpc);
  ctx.onNotice(`${ctx.rpc.name} offers no trace_filter: an address's history from it lists the transactions it sent or received and its token transfers, not value that contracts moved to it`);
}
