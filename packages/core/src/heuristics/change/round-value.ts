import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeVerdict, changeVerdict, judgeable } from './verdict.js';

/** Spec id `round-value` (heuristics.md §2; d = 2, 4, 6: 97.6, 98.7, 97.7 % precision). */
export const id = 'round-value';
export const version = 1;
export interface RoundValueParams {
  /** Payments are round to 10^d base units. */
  digits: number;
  confidence: number;
}
export const defaultParams: RoundValueParams = { digits: 4, confidence: 0.987 };

/**
 * Payments are round, change is not: rule out outputs with v(o) mod 10^d = 0.
 * @returns the non-round outputs
 * @example roundValue(tx, { digits: 4, confidence: 0.987 })?.candidates
 */
export function roundValue(tx: UtxoTransaction, params: RoundValueParams = defaultParams): ChangeVerdict | null {
  const outs = judgeable(tx);
  if (!outs) return null;
  const unit = 10n ** BigInt(params.digits);
  const candidates = outs.filter((n) => tx.outputs[n].value % unit !== 0n);
  return changeVerdict(id, version, tx, candidates, params.confidence, params);
}
