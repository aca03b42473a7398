import type { UtxoTransaction } from '../../model/utxo.js';
import { isCoinbase } from '../../model/utxo.js';
import { inputHolders } from '../change/holder-type.js';
import { type CoinjoinVerdict, detectCoinjoin } from '../coinjoin/detect-coinjoin.js';
import { type SameOwnerLink, utxoEvidence } from './evidence.js';

/** Spec id `multi-input` (heuristics.md §1; Nakamoto §10, Meiklejohn et al. 2013). */
export const id = 'multi-input';
export const version = 1;

export interface MultiInputParams {
  /** Give no link for a transaction any CoinJoin detector flags. */
  coinjoinGuard: boolean;
  confidence: number;
}

export const defaultParams: MultiInputParams = { coinjoinGuard: true, confidence: 1 };

/**
 * Every input holder of a non-coinbase, non-CoinJoin transaction has one owner: links from the first input
 * holder to each other one (a star, so n holders give n − 1 links). Unresolved inputs are skipped.
 * @param coinjoin a verdict already computed for this transaction (saves running the detectors twice)
 * @returns the links, empty when fewer than two distinct holders or when the CoinJoin guard fires
 * @example multiInput(tx).map((l) => l.to)
 */
export function multiInput(tx: UtxoTransaction, params: MultiInputParams = defaultParams, coinjoin?: CoinjoinVerdict): SameOwnerLink[] {
  if (isCoinbase(tx)) return [];
  const holders = inputHolders(tx);
  if (holders.length < 2) return [];
  if (params.coinjoinGuard && (coinjoin ?? detectCoinjoin(tx)).coinjoin) return [];
  const evidence = utxoEvidence(id, version, tx, params.confidence, params);
  return holders.slice(1).map((to) => ({ from: holders[0], to, evidence }));
}
