import type { ScriptType, UtxoTransaction } from '../../model/utxo.js';
import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import { type TxFeatures, txFeatures } from './tx-features.js';
import { judgeableOf, modelView, type TxView } from './tx-view.js';

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

/**
 * What each change rule says over a TxView: the outputs it keeps of the judgeable ones (`outs`, ascending), or
 * null when it has no verdict. The model functions (`addressReuse(tx)` ...) wrap it in a ChangeVerdict.
 */
export type ChangeCandidates = (v: TxView, outs: readonly number[], ctx: ChangeContext) => number[] | null;

/** A rule over a model transaction from its view form: the verdict, with evidence when the pick is unique. */
export function modelVerdict(rule: string, version: number, tx: UtxoTransaction, ctx: ChangeContext, confidence: number, params: object, run: ChangeCandidates): ChangeVerdict | null {
  const { view } = modelView(tx, undefined, ctx.inputType);
  const outs = judgeableOf(view);
  if (!outs) return null;
  const candidates = run(view, outs, withFeatures(tx, ctx));
  return candidates === null ? null : changeVerdict(rule, version, tx, candidates, confidence, params);
}

/** A model transaction's context with its own features (txFeatures) when the caller gave none. */
export function withFeatures(tx: UtxoTransaction, ctx: ChangeContext): ChangeContext {
  return ctx.features ? ctx : { ...ctx, features: () => txFeatures(tx) };
}

/** Fingerprint rules: keep the outputs whose spender shares this transaction's feature, or that are unspent. */
export function fingerprintCandidates<T>(outs: readonly number[], ctx: ChangeContext, feature: (f: TxFeatures) => T): number[] | null {
  if (!ctx.spenderOf || !ctx.features) return null;
  const mine = feature(ctx.features());
  let spent = 0;
  const keep: number[] = [];
  for (const n of outs) {
    const s = ctx.spenderOf(n);
    if (s) spent++;
    if (s === null || feature(s) === mine) keep.push(n);
  }
  return spent === 0 ? null : keep;
}
