import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import { mostCommonValue, type TxShape } from './shape.js';

/** Spec id `joinmarket` (heuristics.md §3). */
export const id = 'joinmarket';
export const version = 2;

export interface JoinmarketParams {
  /** The equal value must exceed this (dust). */
  minValue: bigint;
  minParticipants: number;
  confidence: number;
}

export const defaultParams: JoinmarketParams = { minValue: 2730n, minParticipants: 2, confidence: 0.95 };

/**
 * Flag a JoinMarket CoinJoin: the most frequent output value d > 2,730 sat occurs n times, n ≥ |O|/2,
 * 2 ≤ n ≤ distinct input scripts, all output scripts distinct, and at least one other output.
 * @returns the evidence of the flag, or null
 * @example joinmarket(txShape(tx)) === null
 */
export function joinmarket(s: TxShape, params: JoinmarketParams = defaultParams): Evidence | null {
  if (s.coinbase || !s.outputScriptsDistinct) return null;
  const top = mostCommonValue(s);
  if (!top || top.value <= params.minValue) return null;
  const n = top.count;
  if (n < s.outputs.length / 2 || n < params.minParticipants || n > s.distinctInputHolders || s.outputs.length <= n) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, participants: n, denomination: top.value });
}
