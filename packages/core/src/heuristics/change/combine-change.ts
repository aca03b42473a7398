import type { UtxoTransaction } from '../../model/utxo.js';
import * as addressReuse from './address-reuse.js';
import * as addressType from './address-type.js';
import * as freshAddress from './fresh-address.js';
import * as locktime from './locktime-fingerprint.js';
import * as multisig from './multisig-fingerprint.js';
import * as optimal from './optimal-change.js';
import * as rbf from './rbf-fingerprint.js';
import * as roundValue from './round-value.js';
import * as segwit from './segwit-fingerprint.js';
import * as versionFp from './version-fingerprint.js';
import { type ChangeContext, type ChangeVerdict, judgeable } from './verdict.js';

/** Every change rule of heuristics.md §2, by id. */
export const CHANGE_RULES: Record<string, (tx: UtxoTransaction, ctx: ChangeContext) => ChangeVerdict | null> = {
  [addressReuse.id]: (tx) => addressReuse.addressReuse(tx),
  [optimal.id]: (tx) => optimal.optimalChange(tx),
  [addressType.id]: (tx, ctx) => addressType.addressType(tx, addressType.defaultParams, ctx),
  [freshAddress.id]: (tx, ctx) => freshAddress.freshAddress(tx, ctx),
  [roundValue.id]: (tx) => roundValue.roundValue(tx),
  [locktime.id]: (tx, ctx) => locktime.locktimeFingerprint(tx, ctx),
  [versionFp.id]: (tx, ctx) => versionFp.versionFingerprint(tx, ctx),
  [rbf.id]: (tx, ctx) => rbf.rbfFingerprint(tx, ctx),
  [segwit.id]: (tx, ctx) => segwit.segwitFingerprint(tx, ctx),
  [multisig.id]: (tx, ctx) => multisig.multisigFingerprint(tx, ctx),
};

export const CHANGE_RULE_IDS: readonly string[] = Object.keys(CHANGE_RULES);

export interface CombineChangeParams {
  /** The change rules that vote (default all). */
  rules: readonly string[];
  /** How many rules must hold an opinion before a pick is made. */
  minOpinions: number;
  /**
   * Fingerprint rules (nLockTime, nVersion, RBF, segwit, multisig of the spending transaction) only confirm: a pick
   * also needs an opinion from a rule that looks at this transaction itself (value, type, freshness, reuse).
   */
  fingerprintsConfirmOnly: boolean;
  /** No pick when the picked output's value equals another output's (a batch payout or a CoinJoin-like split). */
  rejectEqualValues: boolean;
}

export const defaultParams: CombineChangeParams = { rules: CHANGE_RULE_IDS, minOpinions: 1, fingerprintsConfirmOnly: true, rejectEqualValues: true };

const FINGERPRINTS = new Set([locktime.id, versionFp.id, rbf.id, segwit.id, multisig.id]);

/** The combined change decision: one output, its confidence and the verdicts behind it. */
export interface ChangeDecision {
  outputIndex: number;
  /** 1 − Π(1 − p) over the rules that voted, each rule's p its published precision (certain: 1). */
  confidence: number;
  /** The verdicts that held an opinion; every one of them keeps `outputIndex`. */
  votes: ChangeVerdict[];
}

/**
 * Combine the change rules by unanimous consistent vote: a rule holds an opinion when it keeps a non-empty
 * proper subset of the outputs; the pick is the single output every opinion keeps. Address reuse is certain and
 * decides alone. Fingerprint rules confirm but never pick alone, and a value shared with another output is never
 * change. Confidence treats the opinions as independent: 1 − Π(1 − precision).
 * @returns the pick, or null when no rule has an opinion, opinions conflict, or more than one output is left
 * @example combineChange(tx, { isFresh })?.outputIndex
 */
export function combineChange(tx: UtxoTransaction, ctx: ChangeContext = {}, params: CombineChangeParams = defaultParams): ChangeDecision | null {
  const outs = judgeable(tx);
  if (!outs) return null;
  const votes: ChangeVerdict[] = [];
  for (const rule of params.rules) {
    const v = CHANGE_RULES[rule]?.(tx, ctx);
    if (v && v.candidates.length > 0 && v.candidates.length < outs.length) votes.push(v);
  }
  const reuse = votes.find((v) => v.rule === addressReuse.id);
  if (reuse) return reuse.candidates.length === 1 ? { outputIndex: reuse.candidates[0], confidence: 1, votes: [reuse] } : null;
  if (votes.length < params.minOpinions || votes.length === 0) return null;
  let left = new Set(outs);
  for (const v of votes) left = new Set(v.candidates.filter((n) => left.has(n)));
  if (left.size !== 1) return null;
  const pick = [...left][0];
  if (params.fingerprintsConfirmOnly && votes.every((v) => FINGERPRINTS.has(v.rule))) return null;
  if (params.rejectEqualValues && tx.outputs.some((o) => o.index !== pick && o.value === tx.outputs[pick].value)) return null;
  let miss = 1;
  for (const v of votes) miss *= 1 - v.confidence;
  return { outputIndex: pick, confidence: 1 - miss, votes };
}
