import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { holderScriptType } from './holder-type.js';

/** True when any input opts in to replace-by-fee (BIP 125: sequence < 0xfffffffe). */
export function signalsRbf(tx: UtxoTransaction): boolean {
  return tx.inputs.some((i) => !i.coinbase && i.sequence < 0xfffffffe);
}

const NATIVE_SEGWIT = new Set(['p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown']);

// Each spending transaction is asked once per output and per rule: remember the answer per transaction object.
const segwitOf = new WeakMap<UtxoTransaction, boolean>();
const formOf = new WeakMap<UtxoTransaction, string>();

/** True when the transaction carries witness data: its size exceeds its virtual size, or it spends a native segwit output. */
export function usesSegwit(tx: UtxoTransaction): boolean {
  let v = segwitOf.get(tx);
  if (v === undefined) {
    v = (tx.size !== null && tx.vsize !== null && tx.size > tx.vsize) || tx.inputs.some((i) => {
      const h = holderOf(i);
      return h !== null && NATIVE_SEGWIT.has(holderScriptType(tx.chain, h) ?? '');
    });
    segwitOf.set(tx, v);
  }
  return v;
}

const MULTISIG_FORMS = new Set(['p2sh', 'p2wsh', 'nonstandard', 'multisig']);

/** The multisig-capable script forms the inputs spend, sorted and joined ('' when none). */
export function multisigForm(tx: UtxoTransaction): string {
  const known = formOf.get(tx);
  if (known !== undefined) return known;
  const forms = new Set<string>();
  for (const i of tx.inputs) {
    const h = holderOf(i);
    const t = h === null ? null : holderScriptType(tx.chain, h);
    if (t !== null && MULTISIG_FORMS.has(t)) forms.add(t);
  }
  const form = [...forms].sort().join('+');
  formOf.set(tx, form);
  return form;
}
