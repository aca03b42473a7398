import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import { mostCommonValue, type TxShape } from './shape.js';

/** Spec id `coinjoin-generic` (heuristics.md §3; BlockSci, GraphSense). */
export const id = 'coinjoin-generic';
export const version = 1;

export interface CoinjoinGenericParams {
  /** Output values that are dust limits, not denominations. */
  excludedValues: bigint[];
  confidence: number;
}

export const defaultParams: CoinjoinGenericParams = { excludedValues: [546n, 2730n], confidence: 0.9 };

/**
 * Flag an equal-output CoinJoin: ≥ 2 inputs, ≥ 3 outputs, n = (|O|+1)/2 participants with n ≤ |I| and
 * n ≤ distinct input holders, and the most common output value occurs exactly n times.
 * @param s the shape of a UTXO transaction (txShape, holderShape)
 * @returns the evidence of the flag, or null when the transaction is not flagged
 * @example coinjoinGeneric(txShape(tx))?.rule // 'coinjoin-generic'
 */
export function coinjoinGeneric(s: TxShape, params: CoinjoinGenericParams = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < 2 || s.outputs.length < 3) return null;
  const n = Math.floor((s.outputs.length + 1) / 2);
  if (n > s.inputs || n > s.distinctInputHolders) return null;
  const top = mostCommonValue(s);
  if (!top || top.count !== n || params.excludedValues.includes(top.value)) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, participants: n, denomination: top.value });
}
