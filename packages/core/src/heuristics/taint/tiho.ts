import { CtraceError } from '../../errors.js';
import { layTx } from './lay.js';
import type { TaintPolicyParams, TaintTxInput, TaintTxResult } from './types.js';

/** Spec id (heuristics.md section 4). */
export const id = 'tiho';
export const version = 1;
export const defaultParams: Required<TaintPolicyParams> = { direction: 'forward' };

/**
 * Taint in, highest out: tainted inputs first (in input order, then the clean ones), outputs by value descending
 * (equal values: the earlier output first), the fee last; then as {@link fifo}. Tironsakkul et al. 2019.
 * Forward only: the order depends on which inputs are tainted, which a backward walk does not know.
 * @param tx the transaction's inputs with their taint, output values and fee
 * @returns each output's taint, the fee's taint, and the flows
 * @throws CtraceError USAGE when asked to walk backward
 * @example tiho({ inputs: [{ value: 5n, taint: 0n }, { value: 5n, taint: 5n }], outputs: [3n, 6n], fee: 1n }).outputs.map((o) => o.taint) // [0n, 5n]
 */
export function tiho(tx: TaintTxInput, { direction = 'forward' }: TaintPolicyParams = defaultParams): TaintTxResult {
  if (direction !== 'forward') throw new CtraceError('USAGE', 'the tiho policy only walks forward: use fifo, lifo, haircut or poison with --direction in');
  const ins = tx.inputs.map((p, k) => ({ k, tainted: p.taint > 0n }));
  const inputOrder = [...ins.filter((x) => x.tainted), ...ins.filter((x) => !x.tainted)].map((x) => x.k);
  const outputOrder = tx.outputs
    .map((v, k) => ({ v, k }))
    .sort((a, b) => (a.v === b.v ? a.k - b.k : a.v > b.v ? -1 : 1))
    .map((x) => x.k);
  return layTx(tx, inputOrder, outputOrder);
}
