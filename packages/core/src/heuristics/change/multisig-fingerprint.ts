import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeContext, type ChangeVerdict, fingerprintCandidates, modelVerdict } from './verdict.js';

/** Spec id `multisig-fingerprint` (heuristics.md §2; 99.6 % precision). */
export const id = 'multisig-fingerprint';
export const version = 1;
export interface MultisigFingerprintParams { confidence: number }
export const defaultParams: MultisigFingerprintParams = { confidence: 0.996 };

/**
 * Change is spent by the same wallet: its spending transaction spends the same multisig-capable form (P2SH, P2WSH, bare).
 * @param ctx must give each output's spending transaction
 * @returns the outputs whose spender matches (or that are unspent), or null when no output is spent
 * @example multisigFingerprint(tx, { spenderOf: (n) => spenders[n] ?? null })?.candidates
 */
export function multisigFingerprint(tx: UtxoTransaction, ctx: ChangeContext, params: MultisigFingerprintParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs, c) => multisigFingerprintOf(outs, c));
}

/** multisigFingerprint over the judgeable outputs. */
export function multisigFingerprintOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  return fingerprintCandidates(outs, ctx, (f) => f.multisig);
}
