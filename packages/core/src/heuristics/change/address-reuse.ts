import type { UtxoTransaction } from '../../model/utxo.js';
import { type ChangeVerdict, modelVerdict } from './verdict.js';
import type { TxView } from './tx-view.js';

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
  return modelVerdict(id, version, tx, {}, params.confidence, params, addressReuseOf);
}

/** addressReuse over a view: the judgeable outputs whose holder is an input's. */
export function addressReuseOf(v: TxView, outs: readonly number[]): number[] | null {
  const candidates: number[] = [];
  for (const n of outs) {
    const h = v.outputHolder(n);
    for (let i = 0; i < v.inputs(); i++) {
      if (v.inputHolder(i) === h) {
        candidates.push(n);
        break;
      }
    }
  }
  return candidates.length === 0 || candidates.length === outs.length ? null : candidates;
}
