import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeVerdict, changeVerdict, judgeable } from './verdict.js';

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
  const outs = judgeable(tx);
  if (!outs) return null;
  let min: bigint | null = null;
  for (const i of tx.inputs) {
    if (i.value === null) return null;
    if (min === null || i.value < min) min = i.value;
  }
  if (min === null) return null;
  const candidates = outs.filter((n) => tx.outputs[n].value < min!);
  return changeVerdict(id, version, tx, candidates, params.confidence, params);
}
