import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeContext, type ChangeVerdict, changeVerdict, fingerprintCandidates } from './verdict.js';

/** Spec id `segwit-fingerprint` (heuristics.md §2; 89.2 % precision). */
export const id = 'segwit-fingerprint';
export const version = 1;
export interface SegwitFingerprintParams { confidence: number }
export const defaultParams: SegwitFingerprintParams = { confidence: 0.892 };

/**
 * Change is spent by the same wallet: its spending transaction uses segwit the same way (size > vsize).
 * @param ctx must give each output's spending transaction
 * @returns the outputs whose spender matches (or that are unspent), or null when no output is spent
 * @example segwitFingerprint(tx, { spenderOf: (n) => spenders[n] ?? null })?.candidates
 */
export function segwitFingerprint(tx: UtxoTransaction, ctx: ChangeContext, params: SegwitFingerprintParams = defaultParams): ChangeVerdict | null {
  const candidates = fingerprintCandidates(tx, ctx, (f) => f.segwit);
  return candidates === null ? null : changeVerdict(id, version, tx, candidates, params.confidence, params);
}
