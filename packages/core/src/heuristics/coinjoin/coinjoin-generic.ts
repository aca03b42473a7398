import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import { mostCommonValue, type TxShape } from './shape.js';

/** Spec id `coinjoin-generic` (heuristics.md §3; BlockSci, GraphSense), with the equal-output round. */
export const id = 'coinjoin-generic';
export const version = 2;

export interface CoinjoinGenericParams {
  /** Output values that are dust limits, not denominations. */
  excludedValues: bigint[];
  /** The fewest participants of an equal-output round. */
  minRoundParticipants: number;
  confidence: number;
}

export const defaultParams: CoinjoinGenericParams = { excludedValues: [546n, 2730n], minRoundParticipants: 3, confidence: 0.9 };

/**
 * Flag an equal-output CoinJoin, in either of two shapes:
 * - BlockSci's: ≥ 2 inputs, ≥ 3 outputs, n = (|O|+1)/2 participants with n ≤ |I| and n ≤ distinct input holders,
 *   and the most common output value occurs exactly n times;
 * - a round with no change: n ≥ 3 inputs and n outputs of one value to distinct scripts, the inputs from at least two
 *   holders (inputs not resolved yet count as distinct), whatever the input values (they need not be known).
 * The common value is never a dust limit (546, 2,730 sat).
 * @param s the shape of a UTXO transaction (txShape, holderShape)
 * @returns the evidence of the flag, or null when the transaction is not flagged
 * @example coinjoinGeneric(txShape(tx))?.rule // 'coinjoin-generic'
 */
export function coinjoinGeneric(s: TxShape, params: CoinjoinGenericParams = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < 2 || s.outputs.length < 3) return null;
  const top = mostCommonValue(s);
  if (!top || params.excludedValues.includes(top.value)) return null;
  const n = s.outputs.length;
  if (top.count === n && n >= params.minRoundParticipants && s.inputs === n && s.outputScriptsDistinct && s.distinctInputHolders >= 2) {
    return utxoEvidence(id, version, s.tx, params.confidence, { ...params, shape: 'round', participants: n, denomination: top.value });
  }
  const m = Math.floor((n + 1) / 2);
  if (m > s.inputs || m > s.distinctInputHolders || top.count !== m) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, shape: 'blocksci', participants: m, denomination: top.value });
}
