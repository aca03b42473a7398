import type { ScriptType, UtxoTransaction } from '../../model/utxo.js';
import { isCoinbase } from '../../model/utxo.js';
import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import { spendableOutputs } from './holder-type.js';
import { type TxFeatures, txFeatures } from './tx-features.js';

/** What the store knows around a transaction, for the rules that look beyond it. Each part is optional. */
export interface ChangeContext {
  /** True when output n's holder first appears on chain in this transaction; null when unknown. */
  isFresh?: (outputIndex: number) => boolean | null;
  /** What the fingerprint and peel rules read about the transaction that spends output n (txFeatures), or null while it is unspent (or not stored). */
  spenderOf?: (outputIndex: number) => TxFeatures | null;
  /**
   * This transaction's own features when the caller already has them (a rebuild reads every transaction's from
   * compact arrays for spenderOf); without it they are computed from the model (txFeatures), to the same values.
   */
  features?: () => TxFeatures;
  /** The script type of input n's holder (holderScriptType) when the caller already has it; null when it has none. */
  inputType?: (inputIndex: number) => ScriptType | null;
}

/** What one change rule says: the outputs it cannot rule out as change. */
export interface ChangeVerdict {
  rule: string;
  version: number;
  /** Output indexes that may be change, ascending. */
  candidates: number[];
  /** The rule's calibrated precision when its pick is unique. */
  confidence: number;
  /** Present when exactly one output is left ("unique"). */
  evidence: Evidence | null;
}

/** Build a verdict; evidence only when the pick is unique. */
export function changeVerdict(rule: string, version: number, tx: UtxoTransaction, candidates: number[], confidence: number, params: object): ChangeVerdict {
  const sorted = [...candidates].sort((a, b) => a - b);
  const evidence = sorted.length === 1 ? utxoEvidence(rule, version, tx, confidence, params, sorted[0]) : null;
  return { rule, version, candidates: sorted, confidence, evidence };
}

// Every change rule asks for the same transaction's judgeable outputs, one transaction after another: the last
// answer is kept (a WeakMap over every transaction of a rebuild cost its young-generation collections ~10 %).
let judgedTx: UtxoTransaction | null = null;
let judgedOuts: readonly number[] | null = null;

/** The outputs a change rule may judge, or null when the transaction has no change to find (coinbase, < 2 outputs). */
export function judgeable(tx: UtxoTransaction): readonly number[] | null {
  if (tx !== judgedTx) {
    const spendable = isCoinbase(tx) ? [] : spendableOutputs(tx);
    judgedOuts = spendable.length < 2 ? null : spendable.map((o) => o.index);
    judgedTx = tx;
  }
  return judgedOuts;
}

/** Fingerprint rules: keep the outputs whose spender shares this transaction's feature, or that are unspent. */
export function fingerprintCandidates<T>(tx: UtxoTransaction, ctx: ChangeContext, feature: (f: TxFeatures) => T): number[] | null {
  const outs = judgeable(tx);
  if (!outs || !ctx.spenderOf) return null;
  const mine = feature(ctx.features ? ctx.features() : txFeatures(tx));
  let spent = 0;
  const keep = outs.filter((n) => {
    const s = ctx.spenderOf!(n);
    if (s) spent++;
    return s === null || feature(s) === mine;
  });
  return spent === 0 ? null : keep;
}
