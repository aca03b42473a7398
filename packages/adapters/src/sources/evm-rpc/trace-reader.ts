import type { EvmBlock } from './decode-block.js';
import { hash32, invalidAnswer, isRecord, toQuantity } from './hex.js';
import { type EvmRpc, isUnsupported } from './rpc.js';
import { type TraceCall, decodeCallTracerFrame, decodeParityTraces } from './traces.js';

/**
 * How internal transfers are read: `parity` (trace_block / trace_transaction: Erigon, Nethermind, Reth, anvil),
 * `geth` (debug_traceBlockByNumber with callTracer), `geth-tx` (debug_traceTransaction per transaction), `none`.
 */
export type TraceMode = 'parity' | 'geth' | 'geth-tx' | 'none';

export interface TraceReader {
  /** The traces of every transaction of a block, by transaction hash; null when the node offers no traces. */
  block(block: EvmBlock): Promise<Map<string, TraceCall[]> | null>;
  /** The traces of one transaction; null when the node offers no traces. */
  transaction(hash: string, index: number): Promise<TraceCall[] | null>;
  /** The mode in use, once known. */
  readonly mode: TraceMode | 'auto';
}

const CALL_TRACER = { tracer: 'callTracer' };
const ORDER: TraceMode[] = ['parity', 'geth', 'geth-tx'];

/**
 * Read call traces the way the node offers them. In `auto` mode the first request tries trace_*, then
 * debug_traceBlockByNumber, then debug_traceTransaction; when none is offered it says once (through `notice`) that
 * internal transfers are unavailable, and every later call answers null at no cost.
 * @example const traces = createTraceReader(rpc, 'auto', console.error); await traces.block(block)
 */
export function createTraceReader(rpc: EvmRpc, mode: TraceMode | 'auto', notice: (message: string) => void): TraceReader {
  let current: TraceMode | 'auto' = mode;

  async function viaMode(m: TraceMode, block: EvmBlock): Promise<Map<string, TraceCall[]> | null> {
    const where = `${rpc.name} block ${block.number}`;
    const byTx = new Map<string, TraceCall[]>(block.transactions.map((t) => [String(t.hash).toLowerCase(), []]));
    if (m === 'none') return null;
    if (m === 'parity') {
      for (const c of decodeParityTraces(await rpc.call('trace_block', [toQuantity(block.number)]), `${where} trace_block`)) {
        if (c.txHash === null) continue;
        const list = byTx.get(c.txHash);
        if (!list) throw invalidAnswer(where, `trace_block names transaction ${c.txHash}, which is not in the block`);
        list.push(c);
      }
      return byTx;
    }
    if (m === 'geth') {
      const result = await rpc.call<unknown[]>('debug_traceBlockByNumber', [toQuantity(block.number), CALL_TRACER]);
      if (!Array.isArray(result) || result.length !== block.transactions.length) throw invalidAnswer(`${where} debug_traceBlockByNumber`, `expected ${block.transactions.length} traces`);
      result.forEach((r, i) => {
        const hash = String(block.transactions[i].hash).toLowerCase();
        if (!isRecord(r)) throw invalidAnswer(where, `trace ${i} is not an object`);
        if (r.txHash !== undefined && hash32(r.txHash, where) !== hash) throw invalidAnswer(where, `trace ${i} is for ${String(r.txHash)}, not ${hash}`);
        if (r.error !== undefined) throw invalidAnswer(where, `the tracer failed on ${hash}: ${String(r.error).slice(0, 100)}`);
        byTx.set(hash, decodeCallTracerFrame(r.result, { txHash: hash, txIndex: i }, `${where} debug_traceBlockByNumber`));
      });
      return byTx;
    }
    const hashes = block.transactions.map((t) => String(t.hash).toLowerCase());
    // In parallel: the HTTP client's concurrency limit paces them.
    const traced = await Promise.all(hashes.map((h, i) => txVia('geth-tx', h, i)));
    hashes.forEach((h, i) => byTx.set(h, traced[i]));
    return byTx;
  }

  async function txVia(m: TraceMode, hash: string, index: number): Promise<TraceCall[]> {
    const where = `${rpc.name} tx ${hash}`;
    if (m === 'parity') return decodeParityTraces(await rpc.call('trace_transaction', [hash]), `${where} trace_transaction`).filter((c) => c.txHash === hash);
    return decodeCallTracerFrame(await rpc.call('debug_traceTransaction', [hash, CALL_TRACER]), { txHash: hash, txIndex: index }, `${where} debug_traceTransaction`);
  }

  async function probe<T>(run: (m: TraceMode) => Promise<T>, modes: TraceMode[]): Promise<T | null> {
    for (const m of modes) {
      try {
        const out = await run(m);
        current = m;
        return out;
      } catch (err) {
        if (!isUnsupported(err)) throw err;
      }
    }
    current = 'none';
    notice(`${rpc.name} offers neither trace_* nor debug_trace* (callTracer): internal transfers are unavailable from it, and transactions are stored without them`);
    return null;
  }

  return {
    get mode() {
      return current;
    },
    block(block) {
      // An empty block proves nothing about which method works: answer it without settling the mode.
      if (current === 'auto' && block.transactions.length === 0) return Promise.resolve(new Map());
      if (current === 'auto') return probe((m) => viaMode(m, block) as Promise<Map<string, TraceCall[]>>, ORDER);
      return viaMode(current, block);
    },
    transaction(hash, index) {
      // A single transaction needs no block method: debug_traceTransaction serves both geth modes.
      if (current === 'auto') return probe((m) => txVia(m, hash, index), ['parity', 'geth-tx']);
      if (current === 'none') return Promise.resolve(null);
      return txVia(current, hash, index);
    },
  };
}

/**
 * Every trace frame of a block as the node gives it, block rewards included (parity mode), for exports and checks.
 * @param mode `parity` (trace_block) or `geth` (debug_traceBlockByNumber with callTracer; frames carry the
 *   transaction index, and the hash where the node names it)
 * @throws SourceError, CtraceError SOURCE_INVALID
 * @example await fetchBlockTraces(rpc, 1_000_000, 'parity')
 */
export async function fetchBlockTraces(rpc: EvmRpc, blockNumber: number, mode: 'parity' | 'geth'): Promise<TraceCall[]> {
  const where = `${rpc.name} block ${blockNumber}`;
  if (mode === 'parity') return decodeParityTraces(await rpc.call('trace_block', [toQuantity(blockNumber)]), `${where} trace_block`);
  const result = await rpc.call<unknown>('debug_traceBlockByNumber', [toQuantity(blockNumber), CALL_TRACER]);
  if (!Array.isArray(result)) throw invalidAnswer(`${where} debug_traceBlockByNumber`, 'traces are not an array');
  return result.flatMap((r, i) => {
    if (!isRecord(r)) throw invalidAnswer(where, `trace ${i} is not an object`);
    const txHash = r.txHash === undefined ? null : hash32(r.txHash, where);
    return decodeCallTracerFrame(r.result, { txHash, txIndex: i }, `${where} debug_traceBlockByNumber`);
  });
}
