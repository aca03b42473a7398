import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';

/** Spec id `wasabi-1` (heuristics.md §3): Wasabi 1.x ZeroLink CoinJoin. */
export const id = 'wasabi-1';
export const version = 1;

export interface Wasabi1Params {
  minInputs: number;
  /** Largest share of the inputs one holder may have. */
  maxHolderShare: number;
  denomination: bigint;
  tolerance: bigint;
  /** Mixing levels d·2^k, k = 0..maxLevel (Wasabi 1.1). */
  maxLevel: number;
  minParticipants: number;
  confidence: number;
}

export const defaultParams: Wasabi1Params = {
  minInputs: 10, maxHolderShare: 0.1, denomination: 10_000_000n, tolerance: 500_000n, maxLevel: 6, minParticipants: 3, confidence: 0.99,
};

/**
 * Flag a Wasabi 1 CoinJoin: ≥ 10 inputs, no holder with > 10 % of them, ≥ 3 outputs at a base denomination
 * d within 0.1 BTC ± 0.005 (outputs at the mixing levels d·2^k count as participants too).
 * @returns the evidence of the flag, or null
 * @example wasabi1(txShape(tx)) === null
 */
export function wasabi1(s: TxShape, params: Wasabi1Params = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < params.minInputs || s.maxInputsPerHolder > params.maxHolderShare * s.inputs) return null;
  let best: { d: bigint; participants: number } | null = null;
  for (const [d, count] of s.valueCounts) {
    if (count < 2 || d < params.denomination - params.tolerance || d > params.denomination + params.tolerance) continue;
    let participants = 0;
    for (let k = 0, level = d; k <= params.maxLevel; k++, level *= 2n) participants += s.valueCounts.get(level) ?? 0;
    if (!best || participants > best.participants || (participants === best.participants && d > best.d)) best = { d, participants };
  }
  if (!best || best.participants < params.minParticipants) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, found: best.d, participants: best.participants });
}
