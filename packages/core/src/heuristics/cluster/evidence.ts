import type { TxRef } from '../../model/holder-id-tx.js';

/** Parameter values as evidence records them: JSON-safe (bigints as decimal strings, lists joined). */
export type EvidenceParams = Record<string, string | number | boolean>;

/**
 * The record of one decision a rule made (heuristics.md: rule id, version, chain, txid, output/log index,
 * block height, confidence, params). Every cluster link and every change pick carries one.
 */
export interface Evidence {
  rule: string;
  version: number;
  chain: string;
  txid: string;
  /** The output the decision is about (change, peel funding output), or null. */
  outputIndex: number | null;
  /** The log the decision is about (EVM token transfer), or null. */
  logIndex: number | null;
  blockHeight: number | null;
  /** 0..1: the rule's calibrated precision, or 1 for certain rules. */
  confidence: number;
  params: EvidenceParams;
}

/** Two holders (addresses or script ids) that a rule says have one owner, and why. */
export interface SameOwnerLink {
  from: string;
  to: string;
  evidence: Evidence;
  /**
   * Account rules: the block at which the rule first draws the link, its chain read in block order (a chain
   * clustered block by block finds it there; a rebuild applies links in this order, so that both agree).
   */
  found?: number;
}

/** Params as evidence keeps them: bigints to strings, arrays joined by commas, nested objects dropped. */
export function evidenceParams(params: object): EvidenceParams {
  const out: EvidenceParams = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'bigint') out[k] = v.toString();
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String).join(',');
    else if (v instanceof Set) out[k] = [...v].map(String).sort().join(',');
  }
  return out;
}

/**
 * An evidence record for a decision on a UTXO transaction.
 * @example utxoEvidence('multi-input', 1, tx, 1, {}).txid
 */
export function utxoEvidence(rule: string, version: number, tx: TxRef, confidence: number, params: object, outputIndex: number | null = null): Evidence {
  let kept = keptParams.get(params);
  if (kept === undefined) keptParams.set(params, (kept = evidenceParams(params)));
  return {
    rule,
    version,
    chain: tx.chain,
    txid: tx.txid,
    outputIndex,
    logIndex: null,
    blockHeight: tx.block?.height ?? null,
    confidence,
    params: kept,
  };
}

// A run gives thousands of records the same params object (a rule's parameters): converted once, and shared by
// those records (evidence params are never changed once made).
const keptParams = new WeakMap<object, EvidenceParams>();
