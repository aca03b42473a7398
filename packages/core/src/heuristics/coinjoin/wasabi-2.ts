import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';

/** Spec id `wasabi-2` (heuristics.md §3): WabiSabi CoinJoin. */
export const id = 'wasabi-2';
export const version = 1;

export interface Wasabi2Params {
  minInputs: number;
  maxHolderShare: number;
  minOutputValue: bigint;
  minRepeatedValues: number;
  confidence: number;
}

export const defaultParams: Wasabi2Params = { minInputs: 20, maxHolderShare: 0.1, minOutputValue: 5000n, minRepeatedValues: 3, confidence: 0.99 };

/**
 * Flag a WabiSabi CoinJoin: ≥ 20 inputs, no holder > 10 % of them, every output ≥ 5,000 sat and to a
 * distinct script, ≥ 3 values occurring at least twice, carried by at least (|O|−1)/2 outputs.
 * @returns the evidence of the flag, or null
 * @example wasabi2(txShape(tx)) === null
 */
export function wasabi2(s: TxShape, params: Wasabi2Params = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < params.minInputs || s.maxInputsPerHolder > params.maxHolderShare * s.inputs) return null;
  if (!s.outputScriptsDistinct || s.outputs.some((o) => o.value < params.minOutputValue)) return null;
  let repeated = 0;
  let carried = 0;
  for (const count of s.valueCounts.values()) {
    if (count < 2) continue;
    repeated++;
    carried += count;
  }
  if (repeated < params.minRepeatedValues || carried < (s.outputs.length - 1) / 2) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, repeatedValues: repeated });
}
