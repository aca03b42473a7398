import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { holderScriptType } from './holder-type.js';
import { type ChangeContext, type ChangeVerdict, changeVerdict, judgeable } from './verdict.js';

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
  const outs = judgeable(tx);
  if (!outs) return null;
  let type: string | null = null;
  for (let n = 0; n < tx.inputs.length; n++) {
    const h = holderOf(tx.inputs[n]);
    const t = h === null ? null : family(ctx.inputType ? ctx.inputType(n) : holderScriptType(tx.chain, h));
    if (t === null || (type !== null && t !== type)) return null;
    type = t;
  }
  const candidates = outs.filter((n) => family(tx.outputs[n].scriptType) === type);
  return changeVerdict(id, version, tx, candidates, params.confidence, params);
}

function family(t: string | null): string | null {
  if (t === 'p2pk') return 'p2pkh';
  if (t === 'multisig') return 'nonstandard';
  return t;
}
