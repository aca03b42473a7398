import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';
import { defaultParams as whirlpoolDefaults } from './whirlpool.js';

/** Spec id `whirlpool-tx0` (heuristics.md §3): the Whirlpool premix transaction. */
export const id = 'whirlpool-tx0';
export const version = 1;

export interface WhirlpoolTx0Params {
  pools: bigint[];
  minEpsilon: bigint;
  maxEpsilon: bigint;
  maxPremix: number;
  /** Outputs besides the premixes and the coordinator fee. */
  maxOthers: number;
  confidence: number;
}

export const defaultParams: WhirlpoolTx0Params = {
  pools: whirlpoolDefaults.pools, minEpsilon: 100n, maxEpsilon: 110_000n, maxPremix: 70, maxOthers: 2, confidence: 0.95,
};

/**
 * Flag a Whirlpool TX0: exactly one OP_RETURN, 1 to 70 equal premix outputs of d + ε (100 ≤ ε ≤ 110,000 sat)
 * for a pool d, one coordinator fee output and at most 2 others.
 * @returns the evidence of the flag, or null
 * @example whirlpoolTx0(txShape(tx)) === null
 */
export function whirlpoolTx0(s: TxShape, params: WhirlpoolTx0Params = defaultParams): Evidence | null {
  if (s.coinbase || s.opReturns !== 1) return null;
  for (const [value, count] of s.valueCounts) {
    if (count > params.maxPremix) continue;
    const pool = params.pools.find((d) => value - d >= params.minEpsilon && value - d <= params.maxEpsilon);
    if (pool === undefined) continue;
    const rest = s.outputs.length - count;
    if (rest >= 1 && rest <= 1 + params.maxOthers) {
      return utxoEvidence(id, version, s.tx, params.confidence, { ...params, pool, premixValue: value, premixes: count });
    }
  }
  return null;
}
