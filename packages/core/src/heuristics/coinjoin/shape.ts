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

/** Compute the shape of a transaction. */
export function txShape(tx: UtxoTransaction): TxShape {
  const perHolder = new Map<string, number>();
  for (const i of tx.inputs) {
    const h = holderOf(i) ?? `?${i.prevTxid}:${i.prevVout}`;
    perHolder.set(h, (perHolder.get(h) ?? 0) + 1);
  }
  const outputs = tx.outputs.filter((o) => o.scriptType !== 'nulldata').map((o) => ({ value: o.value, holder: holderOf(o) }));
  const valueCounts = new Map<bigint, number>();
  for (const o of outputs) valueCounts.set(o.value, (valueCounts.get(o.value) ?? 0) + 1);
  const holders = new Set(outputs.map((o, n) => o.holder ?? `#${n}`));
  return {
    inputs: tx.inputs.length,
    distinctInputHolders: perHolder.size,
    maxInputsPerHolder: Math.max(0, ...perHolder.values()),
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
