import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { inputHolders } from './holder-type.js';
import { type ChangeVerdict, changeVerdict, judgeable } from './verdict.js';

/** Spec id `address-reuse` (heuristics.md §2): change paid back to an input's own holder; certain. */
export const id = 'address-reuse';
export const version = 1;
export interface AddressReuseParams { confidence: number }
export const defaultParams: AddressReuseParams = { confidence: 1 };

/**
 * An output paying back to an input holder is change.
 * @returns those outputs, or null when there are none (the rule has no opinion)
 * @example addressReuse(tx)?.candidates
 */
export function addressReuse(tx: UtxoTransaction, params: AddressReuseParams = defaultParams): ChangeVerdict | null {
  const outs = judgeable(tx);
  if (!outs) return null;
  const ins = new Set(inputHolders(tx));
  const candidates = outs.filter((n) => ins.has(holderOf(tx.outputs[n])!));
  if (candidates.length === 0 || candidates.length === outs.length) return null;
  return changeVerdict(id, version, tx, candidates, params.confidence, params);
}
