import { apportion } from './spans.js';
import type { TaintFlow, TaintPolicyParams, TaintTxInput, TaintTxResult } from './types.js';

/** Spec id (heuristics.md section 4). */
export const id = 'haircut';
export const version = 1;
export const defaultParams: Required<TaintPolicyParams> = { direction: 'forward' };

/**
 * Haircut: every output (and the fee) takes the inputs' tainted share, taint(o) = v(o)·Σtaint(i)/Σv(i).
 * Rounding: the total taint is split over the outputs and the fee by the largest-remainder rule (each gets the floor,
 * the units left over go one each to the largest remainders, ties to the earlier output, the fee last), so
 * Σ taint out + fee taint = Σ taint in exactly and no output gets more than its value. The flows (evidence) split each
 * output's taint over the tainted inputs by the same rule. Möser, Böhme, Breuker, FC 2014.
 * @param tx the transaction's inputs with their taint, output values and fee
 * @returns each output's taint, the fee's taint, and the flows
 * @example haircut({ inputs: [{ value: 10n, taint: 5n }], outputs: [3n, 6n], fee: 1n }).outputs.map((o) => o.taint) // [2n, 3n]
 */
export function haircut(tx: TaintTxInput, _params: TaintPolicyParams = defaultParams): TaintTxResult {
  const total = tx.inputs.reduce((s, p) => s + p.taint, 0n);
  const shares = apportion(total, [...tx.outputs, tx.fee]);
  const weights = tx.inputs.map((p) => p.taint);
  const flows: TaintFlow[] = [];
  shares.forEach((share, j) => {
    apportion(share, weights).forEach((amount, input) => {
      if (amount > 0n) flows.push({ input, output: j === tx.outputs.length ? -1 : j, amount });
    });
  });
  flows.sort((a, b) => a.input - b.input || a.output - b.output);
  return { outputs: shares.slice(0, -1).map((taint) => ({ taint })), fee: { taint: shares[shares.length - 1] }, flows };
}
