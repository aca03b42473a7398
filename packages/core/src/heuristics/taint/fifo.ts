import { identity, layTx } from './lay.js';
import type { TaintPolicyParams, TaintTxInput, TaintTxResult } from './types.js';

/** Spec id (heuristics.md section 4). */
export const id = 'fifo';
export const version = 1;
export const defaultParams: Required<TaintPolicyParams> = { direction: 'forward' };

/**
 * First in, first out: lay the inputs end to end in input order and the outputs (then the fee) in output order; each
 * tainted interval goes to the outputs it overlaps. Exact and reversible: backward, pass the outputs (then the fee)
 * as `inputs` and the input values as `outputs`. Clayton's case (1816); Anderson et al., "Bitcoin Redux", WEIS 2018.
 * @param tx the transaction's inputs with their taint, output values and fee
 * @returns each output's taint and where it sits, the fee's taint, and the flows input -> output
 * @example fifo({ inputs: [{ value: 5n, taint: 5n }, { value: 5n, taint: 0n }], outputs: [3n, 6n], fee: 1n }).outputs.map((o) => o.taint) // [3n, 2n]
 */
export function fifo(tx: TaintTxInput, _params: TaintPolicyParams = defaultParams): TaintTxResult {
  return layTx(tx, identity(tx.inputs.length), identity(tx.outputs.length));
}
