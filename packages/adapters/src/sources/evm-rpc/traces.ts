import type { InternalTransfer } from '@cryptotrace/core';
import { address, hash32, invalidAnswer, isRecord, optionalAddress, quantity, smallQuantity } from './hex.js';

/** One frame of a transaction's call tree (or a block reward), in the shape of `trace_*` (OpenEthereum, Erigon, anvil). */
export interface TraceCall {
  txHash: string | null;
  txIndex: number | null;
  /** Position in the call tree: [] for the top call, [0], [0, 1], ... */
  traceAddress: number[];
  type: 'call' | 'create' | 'suicide' | 'reward';
  /** call, callcode, delegatecall, staticcall for calls; create2 for CREATE2 where the tracer says so. */
  callType: string | null;
  /** `block` or `uncle` for reward frames. */
  rewardType: string | null;
  from: string | null;
  to: string | null;
  value: bigint | null;
  input: string | null;
  output: string | null;
  gas: bigint | null;
  gasUsed: bigint | null;
  subtraces: number;
  error: string | null;
  /** 0 when this frame or one above it failed: what it did was undone. */
  status: 0 | 1;
}

/**
 * Decode the result of `trace_block` or `trace_transaction` (parity-style traces).
 * @throws CtraceError SOURCE_INVALID
 * @example decodeParityTraces(await rpc('trace_block', ['0xf4240']), 'evm-rpc http://node trace_block 0xf4240')
 */
export function decodeParityTraces(result: unknown, where: string): TraceCall[] {
  if (!Array.isArray(result)) throw invalidAnswer(where, 'traces are not an array');
  const calls = result.map((t, i): TraceCall => {
    const at = `${where} trace ${i}`;
    if (!isRecord(t) || !isRecord(t.action) || !Array.isArray(t.traceAddress)) throw invalidAnswer(at, 'not a trace');
    const a = t.action;
    const r = isRecord(t.result) ? t.result : null;
    const base = {
      txHash: t.transactionHash == null ? null : hash32(t.transactionHash, at),
      txIndex: t.transactionPosition == null ? null : smallQuantity(t.transactionPosition, at),
      rewardType: t.type === 'reward' ? String(a.rewardType ?? '') : null,
      traceAddress: t.traceAddress.map((n) => smallQuantity(n, at)),
      subtraces: smallQuantity(t.subtraces ?? 0, at),
      error: typeof t.error === 'string' ? t.error : null,
      status: 1 as const,
    };
    const opt = (v: unknown) => (v == null ? null : quantity(v, at));
    switch (t.type) {
      case 'call':
        return { ...base, type: 'call', callType: String(a.callType ?? 'call'), from: address(a.from, at), to: optionalAddress(a.to, at), value: quantity(a.value ?? '0x0', at),
          input: str(a.input), output: r ? str(r.output) : null, gas: opt(a.gas), gasUsed: r ? opt(r.gasUsed) : null };
      case 'create':
        return { ...base, type: 'create', callType: a.creationMethod === 'create2' ? 'create2' : null, from: address(a.from, at), to: r ? optionalAddress(r.address, at) : null,
          value: quantity(a.value ?? '0x0', at), input: str(a.init), output: r ? str(r.code) : null, gas: opt(a.gas), gasUsed: r ? opt(r.gasUsed) : null };
      case 'suicide':
        return { ...base, type: 'suicide', callType: null, from: address(a.address, at), to: address(a.refundAddress, at), value: quantity(a.balance ?? '0x0', at),
          input: null, output: null, gas: null, gasUsed: null };
      case 'reward':
        return { ...base, type: 'reward', callType: null, from: null, to: address(a.author, at), value: quantity(a.value, at), input: null, output: null, gas: null, gasUsed: null };
      default:
        throw invalidAnswer(at, `unknown trace type ${JSON.stringify(t.type)}`);
    }
  });
  return markFailed(calls);
}

/**
 * Decode one transaction's `callTracer` frame (debug_traceTransaction, or one entry of debug_traceBlockByNumber)
 * into trace frames, depth first, with trace addresses counted as trace_* counts them.
 * @throws CtraceError SOURCE_INVALID
 */
export function decodeCallTracerFrame(frame: unknown, tx: { txHash: string | null; txIndex: number | null }, where: string): TraceCall[] {
  const out: TraceCall[] = [];
  const walk = (f: unknown, traceAddress: number[]): void => {
    const at = `${where} call ${traceAddress.join('.') || 'top'}`;
    if (!isRecord(f) || typeof f.type !== 'string') throw invalidAnswer(at, 'not a callTracer frame');
    const kind = f.type.toUpperCase();
    const children = Array.isArray(f.calls) ? f.calls : [];
    const opt = (v: unknown) => (v == null ? null : quantity(v, at));
    const isCreate = kind === 'CREATE' || kind === 'CREATE2';
    const isSuicide = kind === 'SELFDESTRUCT';
    out.push({
      ...tx,
      rewardType: null,
      traceAddress,
      type: isCreate ? 'create' : isSuicide ? 'suicide' : 'call',
      callType: isCreate ? (kind === 'CREATE2' ? 'create2' : null) : isSuicide ? null : kind.toLowerCase(),
      from: optionalAddress(f.from, at),
      to: optionalAddress(f.to, at),
      value: f.value == null ? (isSuicide ? null : 0n) : quantity(f.value, at),
      input: isSuicide ? null : str(f.input),
      output: isSuicide ? null : str(f.output),
      gas: isSuicide ? null : opt(f.gas),
      gasUsed: isSuicide ? null : opt(f.gasUsed),
      subtraces: children.length,
      error: typeof f.error === 'string' ? f.error : null,
      status: 1,
    });
    children.forEach((c, i) => walk(c, [...traceAddress, i]));
  };
  walk(frame, []);
  return markFailed(out);
}

/** Set status 0 on every frame that failed or sits under one that failed. */
function markFailed(calls: TraceCall[]): TraceCall[] {
  const failed = new Set<string>();
  for (const c of calls) {
    const key = `${c.txHash ?? c.txIndex}:${c.traceAddress.join('.')}`;
    const parent = `${c.txHash ?? c.txIndex}:${c.traceAddress.slice(0, -1).join('.')}`;
    if (c.error !== null || (c.traceAddress.length > 0 && failed.has(parent))) {
      failed.add(key);
      c.status = 0;
    }
  }
  return calls;
}

/**
 * The value that a transaction's inner frames moved: calls, creations and self-destructs below the top call that
 * carried value and were not undone. The top call is the transaction itself (its value is stored on it);
 * delegatecall, callcode and staticcall move nothing between accounts.
 * @param calls the frames of one transaction
 * @returns internal transfers in call-tree order
 * @example internalTransfersOf(decodeParityTraces(result, where).filter((c) => c.txHash === hash))
 */
export function internalTransfersOf(calls: TraceCall[]): InternalTransfer[] {
  const out: InternalTransfer[] = [];
  for (const c of calls) {
    if (c.traceAddress.length === 0 || c.status === 0 || !c.value || c.from === null || c.to === null) continue;
    if (c.type === 'call' && c.callType !== 'call') continue;
    if (c.type === 'reward') continue;
    out.push({ traceAddress: c.traceAddress.join('.'), from: c.from, to: c.to, value: c.value, callType: c.callType ?? c.type });
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
