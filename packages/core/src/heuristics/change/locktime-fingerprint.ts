import type { UtxoTransaction } from '../../model/utxo.js';

import { type ChangeContext, type ChangeVerdict, fingerprintCandidates, modelVerdict } from './verdict.js';

/** Spec id `locktime-fingerprint` (heuristics.md §2; 98.8 % precision). */
export const id = 'locktime-fingerprint';
export const version = 1;
export interface LocktimeFingerprintParams { confidence: number }
export const defaultParams: LocktimeFingerprintParams = { confidence: 0.988 };

/**
 * Change is spent by the same wallet: its spending transaction has the same nLockTime behaviour (zero vs non-zero).
 * @param ctx must give each output's spending transaction
 * @returns the outputs whose spender matches (or that are unspent), or null when no output is spent
 * @example locktimeFingerprint(tx, { spenderOf: (n) => spenders[n] ?? null })?.candidates
 */
export function locktimeFingerprint(tx: UtxoTransaction, ctx: ChangeContext, params: LocktimeFingerprintParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs, c) => locktimeFingerprintOf(outs, c));
}

/** locktimeFingerprint over the judgeable outputs. */
export function locktimeFingerprintOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  return fingerprintCandidates(outs, ctx, (f) => f.locktimeZero);
}
