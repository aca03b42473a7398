import type { TxRef } from '../../model/holder-id-tx.js';
import type { ScriptType, UtxoTransaction } from '../../model/utxo.js';
import { holderOf, isCoinbase } from '../../model/utxo.js';
import { holderScriptType } from './holder-type.js';

/**
 * What the change and peel rules read about one UTXO transaction: holders as integer ids (-1: none; two inputs or
 * outputs have one holder exactly when their ids are equal), values and script types, by position. The rules are
 * written once over it: a model transaction reads through `modelView`, a store's run through a cursor over
 * compact arrays (cluster/tx-facts.ts), with no object per transaction.
 */
export interface TxView {
  /** The transaction as its evidence names it. */
  ref(): TxRef;
  /** One input, a coinbase (isCoinbase). */
  coinbase(): boolean;
  inputs(): number;
  outputs(): number;
  inputCoinbase(n: number): boolean;
  /** -1 for a coinbase input or one without a holder. */
  inputHolder(n: number): number;
  /** Null while the input is not resolved. */
  inputValue(n: number): bigint | null;
  /** The script type of input n's holder (holderScriptType), null when it has none. */
  inputType(n: number): ScriptType | null;
  outputHolder(n: number): number;
  outputValue(n: number): bigint;
  outputType(n: number): ScriptType;
}

/**
 * A model transaction as a TxView: holders numbered in order of appearance (`holders[id]` names each), or given
 * ids (an `IdTx`'s, -1 where none); input types from `inputType` when the caller has them.
 * @example const { view, holders } = modelView(tx); holders[view.outputHolder(1)]
 */
export function modelView(tx: UtxoTransaction, ids?: { inputIds: ArrayLike<number>; outputIds: ArrayLike<number> }, inputType?: (n: number) => ScriptType | null): { view: TxView; holders: string[] } {
  const holders: string[] = [];
  let inIds: ArrayLike<number>;
  let outIds: ArrayLike<number>;
  if (ids) {
    inIds = ids.inputIds;
    outIds = ids.outputIds;
  } else {
    const local = new Map<string, number>();
    const idOf = (h: string | null) => {
      if (h === null) return -1;
      let id = local.get(h);
      if (id === undefined) {
        id = holders.length;
        local.set(h, id);
        holders.push(h);
      }
      return id;
    };
    inIds = tx.inputs.map((i) => idOf(holderOf(i)));
    outIds = tx.outputs.map((o) => idOf(holderOf(o)));
  }
  const coinbase = isCoinbase(tx);
  const view: TxView = {
    ref: () => tx,
    coinbase: () => coinbase,
    inputs: () => tx.inputs.length,
    outputs: () => tx.outputs.length,
    inputCoinbase: (n) => tx.inputs[n].coinbase,
    inputHolder: (n) => (tx.inputs[n].coinbase || holderOf(tx.inputs[n]) === null ? -1 : inIds[n]),
    inputValue: (n) => tx.inputs[n].value,
    inputType: (n) => {
      if (inputType) return inputType(n);
      const h = holderOf(tx.inputs[n]);
      return h === null ? null : holderScriptType(tx.chain, h);
    },
    outputHolder: (n) => (holderOf(tx.outputs[n]) === null ? -1 : outIds[n]),
    outputValue: (n) => tx.outputs[n].value,
    outputType: (n) => tx.outputs[n].scriptType,
  };
  return { view, holders };
}

/** Outputs that can be change or payments: spendable (not OP_RETURN), with a holder. */
export function spendableOf(v: TxView): number[] {
  const out: number[] = [];
  for (let n = 0; n < v.outputs(); n++) if (v.outputType(n) !== 'nulldata' && v.outputHolder(n) >= 0) out.push(n);
  return out;
}

/** The outputs a change rule may judge, or null when the transaction has no change to find (coinbase, < 2 outputs). */
export function judgeableOf(v: TxView): number[] | null {
  if (v.coinbase()) return null;
  const outs = spendableOf(v);
  return outs.length < 2 ? null : outs;
}

/** The first input holder (coinbase inputs skipped), or -1. */
export function firstInputHolder(v: TxView): number {
  for (let n = 0; n < v.inputs(); n++) {
    const h = v.inputHolder(n);
    if (h >= 0) return h;
  }
  return -1;
}

/** Whether some input that is not a coinbase has no holder (it is not resolved). */
export function inputWithoutHolder(v: TxView): boolean {
  for (let n = 0; n < v.inputs(); n++) if (!v.inputCoinbase(n) && v.inputHolder(n) < 0) return true;
  return false;
}
