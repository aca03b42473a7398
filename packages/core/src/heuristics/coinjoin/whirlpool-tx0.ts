import { type Evidence, utxoEvidence } from '../cluster/evidence.js';
import type { TxShape } from './shape.js';
import { defaultParams as whirlpoolDefaults } from './whirlpool.js';

/** Spec id `whirlpool-tx0` (heuristics.md §3): the Whirlpool premix transaction. */
export const id = 'whirlpool-tx0';
export const version = 2;

export interface WhirlpoolTx0Params {
  pools: bigint[];
  minEpsilon: bigint;
  maxEpsilon: bigint;
  maxPremix: number;
  /** Outputs besides the premixes and the coordinator fee (the toxic change). */
  maxOthers: number;
  /** Size of the OP_RETURN's data: the coordinator's encrypted fee payload. */
  feePayloadBytes: number;
  /** The pool fee as parts per 10,000 of the denomination: 5 % (every pool since 2021), 3.5 % (0.05 and 0.5 BTC before). */
  feeRates: number[];
  /** The share of the pool fee a discount code (SCODE) leaves to pay, in per cent. */
  feeShares: number[];
  confidence: number;
}

export const defaultParams: WhirlpoolTx0Params = {
  pools: whirlpoolDefaults.pools, minEpsilon: 100n, maxEpsilon: 110_000n, maxPremix: 70, maxOthers: 2, feePayloadBytes: 46,
  feeRates: [500, 350], feeShares: [100, 50, 25, 20, 15, 10], confidence: 0.95,
};

/** The coordinator fees a pool's schedule allows, in sat. */
export function poolFees(pool: bigint, params: WhirlpoolTx0Params = defaultParams): Set<bigint> {
  const fees = new Set<bigint>();
  for (const rate of params.feeRates) for (const share of params.feeShares) fees.add((pool * BigInt(rate) * BigInt(share)) / 1_000_000n);
  return fees;
}

/**
 * Flag a Whirlpool TX0: exactly one OP_RETURN whose data is the 46-byte fee payload (or not known, as in a store
 * written before scripts were kept), 1 to 70 equal premix outputs of d + ε (100 ≤ ε ≤ 110,000 sat) for a pool d,
 * exactly one output at a fee of that pool's schedule (5 % or 3.5 % of d, less a discount code's share), and at
 * most two others (change). A data-carrier transaction (Omni, Stacks, colored coins) has none of the
 * fee payload, the fee output or the premixes.
 * @returns the evidence of the flag, or null
 * @example whirlpoolTx0(txShape(tx)) === null
 */
export function whirlpoolTx0(s: TxShape, params: WhirlpoolTx0Params = defaultParams): Evidence | null {
  if (s.coinbase || s.opReturns !== 1) return null;
  const size = s.opReturnSizes[0] ?? -1;
  if (size !== -1 && size !== params.feePayloadBytes) return null;
  for (const [value, count] of s.valueCounts) {
    if (count > params.maxPremix) continue;
    const pool = params.pools.find((d) => value - d >= params.minEpsilon && value - d <= params.maxEpsilon);
    if (pool === undefined) continue;
    const fees = poolFees(pool, params);
    const feeOutputs = s.outputs.filter((o) => fees.has(o.value)).length;
    if (feeOutputs !== 1) continue;
    const rest = s.outputs.length - count - 1;
    if (rest <= params.maxOthers) {
      const fee = s.outputs.find((o) => fees.has(o.value))!.value;
      return utxoEvidence(id, version, s.tx, params.confidence, { pool, premixValue: value, premixes: count, fee, feePayloadBytes: size, maxOthers: params.maxOthers });
    }
  }
  return null;
}
