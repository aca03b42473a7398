import type { UtxoTransaction } from '../../model/utxo.js';
import type { TxView } from './tx-view.js';
import { type ChangeContext, type ChangeVerdict, modelVerdict } from './verdict.js';

/** Spec id `address-type` (heuristics.md §2; 88.6 % precision). */
export const id = 'address-type';
export const version = 1;
export interface AddressTypeParams { confidence: number }
export const defaultParams: AddressTypeParams = { confidence: 0.886 };

/**
 * Change has the script type all inputs share (P2PKH and P2PK count as one: both pay to a key hash form).
 * @param ctx may give the inputs' script types (inputType), else they are read from the holders' forms
 * @returns the outputs of the inputs' type, or null when inputs are mixed or unresolved
 * @example addressType(tx)?.candidates
 */
export function addressType(tx: UtxoTransaction, params: AddressTypeParams = defaultParams, ctx: ChangeContext = {}): ChangeVerdict | null {
  return modelVerdict(id, version, tx, ctx, params.confidence, params, addressTypeOf);
}

/** addressType over a view. */
export function addressTypeOf(v: TxView, outs: readonly number[]): number[] | null {
  let type: string | null = null;
  for (let n = 0; n < v.inputs(); n++) {
    const t = v.inputHolder(n) < 0 ? null : family(v.inputType(n));
    if (t === null || (type !== null && t !== type)) return null;
    type = t;
  }
  const candidates: number[] = [];
  for (const n of outs) if (family(v.outputType(n)) === type) candidates.push(n);
  return candidates;
}

function family(t: string | null): string | null {
  if (t === 'p2pk') return 'p2pkh';
  if (t === 'multisig') return 'nonstandard';
  return t;
}
