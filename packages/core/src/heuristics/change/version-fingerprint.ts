import type { UtxoTransaction } from '../../model/utxo.js';

import { type ChangeContext, type ChangeVerdict, fingerprintCandidates, modelVerdict } from './verdict.js';

/** Spec id `version-fingerprint` (heuristics.md §2; 98.3 % precision). */
export const id = 'version-fingerprint';
export const version = 1;
export interface VersionFingerprintParams { confidence: number }
export const defaultParams: VersionFingerprintParams = { confidence: 0.983 };

/**
 * Change is spent by the same wallet: its spending transaction has the same nVersion.
 * @param ctx must give each output's spending transaction
 * @returns the outputs whose spender matches (or that are unspent), or null when no output is spent
 * @example versionFingerprint(tx, { spenderOf: (n) => spenders[n] ?? null })?.candidates
 */
export function versionFingerprint(tx: UtxoTransaction, ctx: ChangeContext, params: VersionFingerprintParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs, c) => versionFingerprintOf(outs, c));
}

/** versionFingerprint over the judgeable outputs. */
export function versionFingerprintOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  return fingerprintCandidates(outs, ctx, (f) => f.version);
}
