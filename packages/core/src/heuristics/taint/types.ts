/**
 * The data every taint policy works on: one transaction's ordered inputs and outputs, the fee as an explicit sink
 * (heuristics.md section 4). Amounts are base units (bigint); taint never exceeds the value that carries it.
 */

/** A tainted interval [start, end) of base units inside one input or output, counted from its first unit. */
export type Span = readonly [bigint, bigint];

/** One input (or, backward, one output) with its value and the part of it that is tainted. */
export interface TaintPart {
  value: bigint;
  taint: bigint;
  /** Where the taint sits inside the value (interval policies); absent means the first `taint` units. */
  spans?: readonly Span[];
}

/** A transaction as a taint policy sees it. */
export interface TaintTxInput {
  inputs: readonly TaintPart[];
  /** Output values in output order. */
  outputs: readonly bigint[];
  /** Σ inputs - Σ outputs; 0 when walking backward (the fee is then a tainted-or-clean part like an output). */
  fee: bigint;
}

/** The taint one output (or the fee) receives. */
export interface TaintShare {
  taint: bigint;
  /** Interval policies: where it sits inside the output. */
  spans?: Span[];
}

/** Evidence: `amount` of taint went from input `input` to output `output` (-1 is the fee). */
export interface TaintFlow {
  input: number;
  output: number;
  amount: bigint;
}

export interface TaintTxResult {
  outputs: TaintShare[];
  fee: TaintShare;
  flows: TaintFlow[];
}

export type TaintDirection = 'forward' | 'backward';

/** The policy ids of heuristics.md section 4. */
export type TaintPolicyId = 'poison' | 'haircut' | 'fifo' | 'lifo' | 'tiho';

export interface TaintPolicyParams {
  /** forward: where did the taint of the inputs go; backward: where did the (tainted) outputs come from. */
  direction?: TaintDirection;
}

/** A policy as the propagation engine uses it. */
export interface TaintPolicy {
  id: TaintPolicyId;
  version: number;
  /** False for poison: it creates taint, so only "taint ≤ value, whole outputs" is checked. */
  conserving: boolean;
  /** Whether the policy can answer "where did this come from". */
  backward: boolean;
  apply(tx: TaintTxInput, params?: TaintPolicyParams): TaintTxResult;
}

/** The spans of a part: its own, or its first `taint` units. */
export function spansOf(part: TaintPart): readonly Span[] {
  if (part.spans) return part.spans;
  return part.taint > 0n ? [[0n, part.taint]] : [];
}

/** Σ of span lengths. */
export function spanTotal(spans: readonly Span[]): bigint {
  let s = 0n;
  for (const [a, b] of spans) s += b - a;
  return s;
}
