import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';

/** Spec id `whirlpool` (heuristics.md §3): Samourai (and Ashigaru) Whirlpool mix. */
export const id = 'whirlpool';
export const version = 2;

export interface WhirlpoolParams {
  /** Pool denominations in sat: Samourai's 0.001, 0.01, 0.05, 0.5 BTC and Ashigaru's 0.025, 0.25 BTC. */
  pools: bigint[];
  /** Most an input may exceed the pool denomination by (miner fee share). */
  maxInputExcess: bigint;
  minInputs: number;
  maxInputs: number;
  confidence: number;
}

export const defaultParams: WhirlpoolParams = {
  pools: [100_000n, 1_000_000n, 2_500_000n, 5_000_000n, 25_000_000n, 50_000_000n], maxInputExcess: 110_000n, minInputs: 5, maxInputs: 8, confidence: 0.99,
};

/**
 * Flag a Whirlpool mix: 5 to 8 inputs and as many outputs to distinct scripts, every output at one pool
 * denomination d, no OP_RETURN. The outputs decide: an input whose value is not known yet does not count against
 * it; a known input outside [d, d + 110,000 sat] does (the equal-output round of `coinjoin-generic` still flags
 * such a transaction). The evidence says how many input values were known.
 * @returns the evidence of the flag, or null
 * @example whirlpool(txShape(tx)) === null
 */
export function whirlpool(s: TxShape, params: WhirlpoolParams = defaultParams): Evidence | null {
  if (s.coinbase || s.inputs < params.minInputs || s.inputs > params.maxInputs || s.outputs.length !== s.inputs || s.opReturns > 0) return null;
  if (!s.outputScriptsDistinct || s.valueCounts.size !== 1) return null;
  const d = s.outputs[0].value;
  if (!params.pools.includes(d)) return null;
  let known = 0;
  for (const v of s.inputValues) {
    if (v === null) continue;
    if (v < d || v > d + params.maxInputExcess) return null;
    known++;
  }
  return utxoEvidence(id, version, s.tx, params.confidence, { ...params, pool: d, inputValuesKnown: known });
}
