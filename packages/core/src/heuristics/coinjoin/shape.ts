import type { UtxoTransaction } from '../../model/utxo.js';
import { holderOf, isCoinbase } from '../../model/utxo.js';

/** The counts every CoinJoin detector looks at, computed once per transaction. */
export interface TxShape {
  inputs: number;
  /** Distinct input holders; unresolved inputs count as distinct. */
  distinctInputHolders: number;
  /** The largest number of inputs one holder has. */
  maxInputsPerHolder: number;
  /** Spendable outputs (OP_RETURN excluded). */
  outputs: { value: bigint; holder: string | null }[];
  opReturns: number;
  outputScriptsDistinct: boolean;
  /** Output value -> how many outputs carry it. */
  valueCounts: Map<bigint, number>;
  coinbase: boolean;
}

/** Compute the shape of a transaction (detectCoinjoin computes it once and hands it to every detector). */
export function txShape(tx: UtxoTransaction): TxShape {
  // Plain loops: every transaction of a rebuild passes here.
  const perHolder = new Map<string, number>();
  let maxInputsPerHolder = 0;
  for (const i of tx.inputs) {
    const h = holderOf(i) ?? `?${i.prevTxid}:${i.prevVout}`;
    const c = (perHolder.get(h) ?? 0) + 1;
    perHolder.set(h, c);
    if (c > maxInputsPerHolder) maxInputsPerHolder = c;
  }
  const outputs: TxShape['outputs'] = [];
  const valueCounts = new Map<bigint, number>();
  const holders = new Set<string>();
  for (const o of tx.outputs) {
    if (o.scriptType === 'nulldata') continue;
    const holder = holderOf(o);
    holders.add(holder ?? `#${outputs.length}`);
    outputs.push({ value: o.value, holder });
    valueCounts.set(o.value, (valueCounts.get(o.value) ?? 0) + 1);
  }
  return {
    inputs: tx.inputs.length,
    distinctInputHolders: perHolder.size,
    maxInputsPerHolder,
    outputs,
    opReturns: tx.outputs.length - outputs.length,
    outputScriptsDistinct: holders.size === outputs.length,
    valueCounts,
    coinbase: isCoinbase(tx),
  };
}

/** The most common output value and its count; ties go to the larger value, so the answer is deterministic. */
export function mostCommonValue(shape: TxShape): { value: bigint; count: number } | null {
  let best: { value: bigint; count: number } | null = null;
  for (const [value, count] of shape.valueCounts) {
    if (!best || count > best.count || (count === best.count && value > best.value)) best = { value, count };
  }
  return best;
}
