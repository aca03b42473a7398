import { identity, layTx } from './lay.js';
import type { TaintPolicyParams, TaintTxInput, TaintTxResult } from './types.js';

/** Spec id (heuristics.md section 4). */
export const id = 'lifo';
export const version = 1;
export const defaultParams: Required<TaintPolicyParams> = { direction: 'forward' };

/**
 * Last in, first out: as {@link fifo}, with the inputs consumed last first (the spans inside one input keep their
 * place). Backward the roles swap, so the input values (now the destinations) are taken last first.
 * @param tx the transaction's inputs with their taint, output values and fee
 * @param params direction (default forward)
 * @returns each output's taint, the fee's taint, and the flows
 * @example lifo({ inputs: [{ value: 5n, taint: 5n }, { value: 5n, taint: 0n }], outputs: [3n, 6n], fee: 1n }).outputs.map((o) => o.taint) // [0n, 4n] (and 1n to the fee)
 */
export function lifo(tx: TaintTxInput, { direction = 'forward' }: TaintPolicyParams = defaultParams): TaintTxResult {
  const ins = identity(tx.inputs.length);
  const outs = identity(tx.outputs.length);
  return direction === 'forward' ? layTx(tx, ins.reverse(), outs) : layTx(tx, ins, outs.reverse());
}
