import { laySpans } from './spans.js';
import type { TaintFlow, TaintTxInput, TaintTxResult } from './types.js';

/**
 * Run {@link laySpans} on a transaction with the inputs taken in `inputOrder` and the outputs in `outputOrder`;
 * the fee is always the last slot. Results come back indexed as in the transaction (the fee as output -1).
 */
export function layTx(tx: TaintTxInput, inputOrder: readonly number[], outputOrder: readonly number[]): TaintTxResult {
  const parts = inputOrder.map((k) => tx.inputs[k]);
  const slots = [...outputOrder.map((k) => tx.outputs[k]), tx.fee];
  const { shares, flows } = laySpans(parts, slots);
  const outputs = tx.outputs.map(() => ({ taint: 0n, spans: [] as NonNullable<TaintTxResult['fee']['spans']> }));
  outputOrder.forEach((k, pos) => (outputs[k] = { taint: shares[pos].taint, spans: shares[pos].spans ?? [] }));
  const fee = shares[shares.length - 1];
  const mapped: TaintFlow[] = flows.map((f) => ({
    input: inputOrder[f.input],
    output: f.output === outputOrder.length ? -1 : outputOrder[f.output],
    amount: f.amount,
  }));
  mapped.sort((a, b) => a.input - b.input || a.output - b.output);
  return { outputs, fee: { taint: fee.taint, spans: fee.spans ?? [] }, flows: mapped };
}

/** 0, 1, ..., n-1. */
export function identity(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}
