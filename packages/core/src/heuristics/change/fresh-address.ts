import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeContext, type ChangeVerdict, modelVerdict } from './verdict.js';

/** Spec id `fresh-address` (heuristics.md §2; Meiklejohn's one-time change: 96.0 % precision). */
export const id = 'fresh-address';
export const version = 1;
export interface FreshAddressParams { confidence: number }
export const defaultParams: FreshAddressParams = { confidence: 0.96 };

/**
 * Change goes to a holder that first appears on chain in this transaction.
 * @param ctx must say which outputs are fresh
 * @returns the fresh outputs, or null when freshness is unknown
 * @example freshAddress(tx, { isFresh: (n) => n === 1 })?.candidates // [1]
 */
export function freshAddress(tx: UtxoTransaction, ctx: ChangeContext, params: FreshAddressParams = defaultParams): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, (_v, outs) => freshAddressOf(outs, ctx));
}

/** freshAddress over the judgeable outputs. */
export function freshAddressOf(outs: readonly number[], ctx: ChangeContext): number[] | null {
  if (!ctx.isFresh) return null;
  const candidates: number[] = [];
  for (const n of outs) {
    const fresh = ctx.isFresh(n);
    if (fresh === null) return null;
    if (fresh) candidates.push(n);
  }
  return candidates;
}
