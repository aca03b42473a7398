import type { HolderIdTx } from '../../model/holder-id-tx.js';
import { localHolderIds } from '../../model/holder-id-tx.js';
import type { UtxoTransaction } from '../../model/utxo.js';
import { type CoinjoinVerdict, coinjoinVerdict } from '../coinjoin/detect-coinjoin.js';
import { holderShape } from '../coinjoin/shape.js';
import { type Evidence, type SameOwnerLink, utxoEvidence } from './evidence.js';

/** Spec id `multi-input` (heuristics.md §1; Nakamoto §10, Meiklejohn et al. 2013). */
export const id = 'multi-input';
export const version = 1;

export interface MultiInputParams {
  /** Give no link for a transaction any CoinJoin detector flags. */
  coinjoinGuard: boolean;
  confidence: number;
}

export const defaultParams: MultiInputParams = { coinjoinGuard: true, confidence: 1 };

/** Two holders, by id, that a rule says have one owner, and why. */
export interface IdLink {
  a: number;
  b: number;
  evidence: Evidence;
}

/**
 * Every input holder of a non-coinbase, non-CoinJoin transaction has one owner: links from the first input
 * holder to each other one (a star, so n distinct holders give n − 1 links), holders as ids. Inputs without a
 * holder are skipped; inputs whose holder was derived from the spending data (no value yet) are used, and the
 * evidence lists them (`derivedInputs`). The CoinJoin guard gives nothing for a CoinJoin or an ambiguous
 * equal-output transaction.
 * @param coinjoin a verdict already computed for this transaction (saves running the detectors twice)
 * @returns the links, empty when fewer than two distinct holders or when the CoinJoin guard fires
 * @example multiInputIds(t).map((l) => l.b)
 */
export function multiInputIds(t: HolderIdTx, params: MultiInputParams = defaultParams, coinjoin?: CoinjoinVerdict): IdLink[] {
  if (t.coinbase) return [];
  const seen = new Set<number>();
  for (let n = 0; n < t.inputIds.length; n++) if (t.inputIds[n] >= 0) seen.add(t.inputIds[n]);
  if (seen.size < 2) return [];
  if (params.coinjoinGuard && (coinjoin ?? coinjoinVerdict(holderShape(t))).guarded) return [];
  // An input with a holder but no value yet is unresolved: its holder was derived from the spending data.
  const derived: number[] = [];
  for (let n = 0; n < t.inputIds.length; n++) if (t.inputIds[n] >= 0 && t.inputValues[n] === null) derived.push(n);
  const evidence = utxoEvidence(id, version, t.tx, params.confidence, derived.length > 0 ? { ...params, derivedInputs: derived } : params);
  const [first, ...rest] = seen;
  return rest.map((b) => ({ a: first, b, evidence }));
}

/**
 * multiInputIds over a model transaction, holders by name.
 * @example multiInput(tx).map((l) => l.to)
 */
export function multiInput(tx: UtxoTransaction, params: MultiInputParams = defaultParams, coinjoin?: CoinjoinVerdict): SameOwnerLink[] {
  const { t, holders } = localHolderIds(tx);
  return multiInputIds(t, params, coinjoin).map((l) => ({ from: holders[l.a], to: holders[l.b], evidence: l.evidence }));
}
