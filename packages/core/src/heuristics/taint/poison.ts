import type { TaintFlow, TaintPolicyParams, TaintTxInput, TaintTxResult } from './types.js';

/** Spec id (heuristics.md section 4). */
export const id = 'poison';
export const version = 1;
export const defaultParams: Required<TaintPolicyParams> = { direction: 'forward' };

/**
 * Poison: when any input is tainted, every output and the fee are wholly tainted. It does not conserve taint (it
 * creates it), so its check is "each output wholly tainted, never more than its value". Möser, Böhme, Breuker, FC 2014.
 * @param tx the transaction's inputs with their taint, output values and fee
 * @returns each output's taint, the fee's taint, and the flows (each tainted input to each output, the output's value)
 * @example poison({ inputs: [{ value: 10n, taint: 1n }], outputs: [3n, 6n], fee: 1n }).outputs.map((o) => o.taint) // [3n, 6n]
 */
export function poison(tx: TaintTxInput, _params: TaintPolicyParams = defaultParams): TaintTxResult {
  const tainted = tx.inputs.map((p, k) => (p.taint > 0n ? k : -1)).filter((k) => k >= 0);
  if (tainted.length === 0) return { outputs: tx.outputs.map(() => ({ taint: 0n, spans: [] })), fee: { taint: 0n, spans: [] }, flows: [] };
  const whole = (v: bigint) => ({ taint: v, spans: v > 0n ? [[0n, v] as const] : [] });
  const flows: TaintFlow[] = [];
  // Poison has no notion of which input carried what: the evidence names the first tainted input.
  tx.outputs.forEach((v, j) => v > 0n && flows.push({ input: tainted[0], output: j, amount: v }));
  if (tx.fee > 0n) flows.push({ input: tainted[0], output: -1, amount: tx.fee });
  return { outputs: tx.outputs.map(whole), fee: whole(tx.fee), flows };
}
