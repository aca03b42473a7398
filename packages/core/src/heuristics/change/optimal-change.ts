import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeVerdict, modelVerdict } from './verdict.js';
import type { TxView } from './tx-view.js';

/** Spec id `optimal-change` (heuristics.md §2; Möser and Narayanan 2022: 92.1 % precision). */
export const id = 'optimal-change';
export const version = 1;
export interface OptimalChangeParams { confidence: number }
export const defaultParams: OptimalChangeParams = { confidence: 0.921 };

/**
 * Change is smaller than every input: a wallet would not have added an input it did not need.
 * @returns the outputs with v(o) < min v(i), or null when inputs are unresolved or there is nothing to judge
 * @example optimalChange(tx)?.candidates
 */
export function optimalChange(tx: UtxoTransaction, params: OptimalChangeParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, {}, params.confidence, params, optimalChangeOf);
}

/** optimalChange over a view. */
export function optimalChangeOf(v: TxView, outs: readonly number[]): number[] | null {
  let min: bigint | null = null;
  for (let n = 0; n < v.inputs(); n++) {
    const value = v.inputValue(n);
    if (value === null) return null;
    if (min === null || value < min) min = value;
  }
  if (min === null) return null;
  const candidates: number[] = [];
  for (const n of outs) if (v.outputValue(n) < min) candidates.push(n);
  return candidates;
}
