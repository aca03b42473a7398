import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';

/**
 * Spec id `ambiguous-equal-output` (heuristics.md §3): a shape that one wallet (Samourai's STONEWALL) and two
 * wallets (STONEWALLx2, a 2-party JoinMarket or any 2-party CoinJoin) both make. Nothing on chain says which, so
 * the guards give it no same-owner link, and report it apart from the CoinJoins.
 */
export const id = 'ambiguous-equal-output';
export const version = 1;

export interface AmbiguousEqualOutputParams {
  /** The pair's value must be at least this (below it, two dust outputs are not a payment and its mirror). */
  minPairValue: bigint;
  confidence: number;
}

export const defaultParams: AmbiguousEqualOutputParams = { minPairValue: 5000n, confidence: 0.9 };

/**
 * Recognise the ambiguous shape: ≥ 2 inputs, 3 or 4 outputs to distinct scripts, and exactly one value that
 * appears exactly twice (≥ 5,000 sat), no value more often.
 * @returns the evidence of the match, or null
 * @example ambiguousEqualOutput(txShape(tx)) === null
 */
export function ambiguousEqualOutput(s: TxShape, params: AmbiguousEqualOutputParams = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < 2 || s.outputs.length < 3 || s.outputs.length > 4 || !s.outputScriptsDistinct) return null;
  let pair: bigint | null = null;
  for (const [value, count] of s.valueCounts) {
    if (count > 2) return null;
    if (count === 2) {
      if (pair !== null) return null;
      pair = value;
    }
  }
  if (pair === null || pair < params.minPairValue) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, pairValue: pair });
}
