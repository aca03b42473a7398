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
import { judgeableOf, modelView, type TxView } from './tx-view.js';
import { type ChangeCandidates, type ChangeContext, type ChangeVerdict, changeVerdict, withFeatures } from './verdict.js';

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

/** The same rules over a view, with their default parameters: what a vote is made of. */
const VIEW_RULES: Record<string, { version: number; params: { confidence: number }; run: ChangeCandidates }> = {
  [addressReuse.id]: { version: addressReuse.version, params: addressReuse.defaultParams, run: addressReuse.addressReuseOf },
  [optimal.id]: { version: optimal.version, params: optimal.defaultParams, run: optimal.optimalChangeOf },
  [addressType.id]: { version: addressType.version, params: addressType.defaultParams, run: addressType.addressTypeOf },
  [freshAddress.id]: { version: freshAddress.version, params: freshAddress.defaultParams, run: (_v, outs, ctx) => freshAddress.freshAddressOf(outs, ctx) },
  [roundValue.id]: { version: roundValue.version, params: roundValue.defaultParams, run: (v, outs) => roundValue.roundValueOf(v, outs) },
  [locktime.id]: { version: locktime.version, params: locktime.defaultParams, run: (_v, outs, ctx) => locktime.locktimeFingerprintOf(outs, ctx) },
  [versionFp.id]: { version: versionFp.version, params: versionFp.defaultParams, run: (_v, outs, ctx) => versionFp.versionFingerprintOf(outs, ctx) },
  [rbf.id]: { version: rbf.version, params: rbf.defaultParams, run: (_v, outs, ctx) => rbf.rbfFingerprintOf(outs, ctx) },
  [segwit.id]: { version: segwit.version, params: segwit.defaultParams, run: (_v, outs, ctx) => segwit.segwitFingerprintOf(outs, ctx) },
  [multisig.id]: { version: multisig.version, params: multisig.defaultParams, run: (_v, outs, ctx) => multisig.multisigFingerprintOf(outs, ctx) },
};

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
  /**
   * The fingerprint rules all read one thing, the software of the wallet that spends each output, and err together:
   * on twelve era worlds, when one fingerprint rules out the true change another does too in 292 of 404 cases (0.72;
   * each pair 0.20 to 1.00, 450 times chance; heuristics.md §2). So the fingerprints count as one vote, the most
   * precise one's, and each further fingerprint multiplies its miss by this factor (never by less than its own miss
   * 1 − p, as an independent vote would). 1: count them once; 0: independent votes (the combination of version 1).
   */
  fingerprintRedundancy: number;
}

export const defaultParams: CombineChangeParams = { rules: CHANGE_RULE_IDS, minOpinions: 1, fingerprintsConfirmOnly: true, rejectEqualValues: true, fingerprintRedundancy: 0.72 };

const FINGERPRINTS = new Set([locktime.id, versionFp.id, rbf.id, segwit.id, multisig.id]);

/**
 * The chance that every vote is wrong together (heuristics.md §2): the rules that read the transaction itself are
 * independent votes (on era worlds their errors coincide with each other's and the fingerprints' at 1.2 to 1.6 times
 * chance), the fingerprints one correlated vote (450 times chance).
 * @param votes the agreeing verdicts, each confidence the rule's real-chain precision
 * @returns 1 − confidence
 * @example jointMiss([{ rule: 'address-type', confidence: 0.886 }, { rule: 'segwit-fingerprint', confidence: 0.892 }], 0.72) // 0.114 × 0.108
 */
export function jointMiss(votes: readonly Pick<ChangeVerdict, 'rule' | 'confidence'>[], fingerprintRedundancy: number): number {
  let miss = 1;
  const fingerprintMisses: number[] = [];
  for (const v of votes) {
    if (FINGERPRINTS.has(v.rule)) fingerprintMisses.push(1 - v.confidence);
    else miss *= 1 - v.confidence;
  }
  fingerprintMisses.sort((a, b) => a - b);
  for (let n = 0; n < fingerprintMisses.length; n++) miss *= n === 0 ? fingerprintMisses[0] : Math.max(fingerprintRedundancy, fingerprintMisses[n]);
  return miss;
}

/** The combined change decision: one output, its confidence and the verdicts behind it. */
export interface ChangeDecision {
  outputIndex: number;
  /**
   * 1 − the joint miss of the rules that voted (jointMiss): each rule's p its published real-chain precision, the
   * transaction's own rules independent, the fingerprints one correlated vote (certain: 1).
   */
  confidence: number;
  /** The verdicts that held an opinion; every one of them keeps `outputIndex`. */
  votes: ChangeVerdict[];
}

/** One rule's opinion in a vote over a view: the outputs it keeps (a non-empty proper subset of the judgeable ones). */
export interface ChangeVote {
  rule: string;
  version: number;
  candidates: number[];
  confidence: number;
  params: object;
}

/**
 * Combine the change rules by unanimous consistent vote: a rule holds an opinion when it keeps a non-empty
 * proper subset of the outputs; the pick is the single output every opinion keeps. Address reuse is certain and
 * decides alone. Fingerprint rules confirm but never pick alone, and a value shared with another output is never
 * change. Confidence is 1 − jointMiss: the rules that read the transaction itself as independent votes, the
 * fingerprints of the spending transactions as one correlated vote (heuristics.md §2).
 * @returns the pick, or null when no rule has an opinion, opinions conflict, or more than one output is left
 * @example combineChange(tx, { isFresh })?.outputIndex
 */
export function combineChange(tx: UtxoTransaction, ctx: ChangeContext = {}, params: CombineChangeParams = defaultParams): ChangeDecision | null {
  const d = combineChangeOf(modelView(tx, undefined, ctx.inputType).view, withFeatures(tx, ctx), params);
  if (d === null) return null;
  return { ...d, votes: d.votes.map((v) => changeVerdict(v.rule, v.version, tx, v.candidates, v.confidence, v.params)) };
}

/**
 * combineChange over a view; `ctx` must give the transaction's own features (`features`) for the fingerprint rules.
 * @example combineChangeOf(view, ctx)?.outputIndex
 */
export function combineChangeOf(v: TxView, ctx: ChangeContext, params: CombineChangeParams = defaultParams): { outputIndex: number; confidence: number; votes: ChangeVote[] } | null {
  const outs = judgeableOf(v);
  if (!outs) return null;
  const votes: ChangeVote[] = [];
  for (const rule of params.rules) {
    const r = VIEW_RULES[rule];
    if (r === undefined) continue;
    const candidates = r.run(v, outs, ctx);
    if (candidates === null || candidates.length === 0 || candidates.length >= outs.length) continue;
    const vote = { rule, version: r.version, candidates, confidence: r.params.confidence, params: r.params };
    // Address reuse is certain and decides alone.
    if (rule === addressReuse.id) return candidates.length === 1 ? { outputIndex: candidates[0], confidence: 1, votes: [vote] } : null;
    votes.push(vote);
  }
  if (votes.length < params.minOpinions || votes.length === 0) return null;
  let pick = -1;
  for (const n of outs) {
    if (!votes.every((vote) => vote.candidates.includes(n))) continue;
    if (pick >= 0) return null;
    pick = n;
  }
  if (pick < 0) return null;
  if (params.fingerprintsConfirmOnly && votes.every((vote) => FINGERPRINTS.has(vote.rule))) return null;
  if (params.rejectEqualValues) {
    const value = v.outputValue(pick);
    for (let n = 0; n < v.outputs(); n++) if (n !== pick && v.outputValue(n) === value) return null;
  }
  return { outputIndex: pick, confidence: 1 - jointMiss(votes, params.fingerprintRedundancy), votes };
}
