import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeVerdict, modelVerdict } from './verdict.js';
import type { TxView } from './tx-view.js';

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
  return modelVerdict(id, version, tx, {}, params.confidence, params, (v, outs) => roundValueOf(v, outs, params));
}

const units = new Map<number, bigint>();

/** roundValue over a view. */
export function roundValueOf(v: TxView, outs: readonly number[], params: RoundValueParams = defaultParams): number[] {
  let unit = units.get(params.digits);
  if (unit === undefined) units.set(params.digits, (unit = 10n ** BigInt(params.digits)));
  const candidates: number[] = [];
  for (const n of outs) if (v.outputValue(n) % unit !== 0n) candidates.push(n);
  return candidates;
}
