import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeContext, type ChangeVerdict, fingerprintCandidates, modelVerdict } from './verdict.js';

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
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs, c) => segwitFingerprintOf(outs, c));
}

/** segwitFingerprint over the judgeable outputs. */
export function segwitFingerprintOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  return fingerprintCandidates(outs, ctx, (f) => f.segwit);
}
