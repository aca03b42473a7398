import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeContext, type ChangeVerdict, fingerprintCandidates, modelVerdict } from './verdict.js';

/** Spec id `rbf-fingerprint` (heuristics.md §2; 96.3 % precision). */
export const id = 'rbf-fingerprint';
export const version = 1;
export interface RbfFingerprintParams { confidence: number }
export const defaultParams: RbfFingerprintParams = { confidence: 0.963 };

/**
 * Change is spent by the same wallet: its spending transaction signals opt-in RBF (BIP 125) the same way.
 * @param ctx must give each output's spending transaction
 * @returns the outputs whose spender matches (or that are unspent), or null when no output is spent
 * @example rbfFingerprint(tx, { spenderOf: (n) => spenders[n] ?? null })?.candidates
 */
export function rbfFingerprint(tx: UtxoTransaction, ctx: ChangeContext, params: RbfFingerprintParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs, c) => rbfFingerprintOf(outs, c));
}

/** rbfFingerprint over the judgeable outputs. */
export function rbfFingerprintOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  return fingerprintCandidates(outs, ctx, (f) => f.rbf);
}
