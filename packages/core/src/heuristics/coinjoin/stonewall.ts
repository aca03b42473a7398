import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';

/** Spec id `stonewall` (heuristics.md §3): Samourai STONEWALL, a veto on the CoinJoin detectors. */
export const id = 'stonewall';
export const version = 1;

export interface StonewallParams {
  minPairValue: bigint;
  confidence: number;
}

export const defaultParams: StonewallParams = { minPairValue: 5000n, confidence: 0.9 };

/**
 * Recognise a STONEWALL: 3 or 4 outputs to distinct scripts, ≥ 2 inputs, and exactly one value that appears
 * exactly twice (≥ 5,000 sat). A match vetoes the other detectors: the transaction is not flagged as a CoinJoin.
 * @returns the evidence of the veto, or null
 * @example stonewall(txShape(tx)) === null
 */
export function stonewall(s: TxShape, params: StonewallParams = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < 2 || s.outputs.length < 3 || s.outputs.length > 4 || !s.outputScriptsDistinct) return null;
  const pairs = [...s.valueCounts].filter(([, count]) => count === 2);
  if (pairs.length !== 1 || pairs[0][0] < params.minPairValue) return null;
  if ([...s.valueCounts.values()].some((count) => count > 2)) return null;
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, pairValue: pairs[0][0] });
}
