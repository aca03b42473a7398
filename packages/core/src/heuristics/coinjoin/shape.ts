import type { HolderIdTx, TxRef } from '../../model/holder-id-tx.js';
import { localHolderIds } from '../../model/holder-id-tx.js';
import type { UtxoTransaction } from '../../model/utxo.js';

/** The counts every CoinJoin detector looks at, computed once per transaction, and the transaction they are of. */
export interface TxShape {
  /** The transaction, as its evidence names it. */
  tx: TxRef;
  inputs: number;
  /** Distinct input holders; inputs without a holder (unresolved) count as distinct. */
  distinctInputHolders: number;
  /** The largest number of inputs one holder has. */
  maxInputsPerHolder: number;
  /** Each input's value, null where unresolved. */
  inputValues: readonly (bigint | null)[];
  /** Spendable outputs (OP_RETURN excluded). */
  outputs: { value: bigint }[];
  opReturns: number;
  /** Each OP_RETURN output's data size in bytes; -1 where the script is not known. */
  opReturnSizes: readonly number[];
  outputScriptsDistinct: boolean;
  /** Output value -> how many outputs carry it. */
  valueCounts: Map<bigint, number>;
  coinbase: boolean;
}

/**
 * The shape of a transaction whose holders are ids (detectCoinjoin computes it once and hands it to every
 * detector).
 * @example holderShape(t).distinctInputHolders
 */
export function holderShape(t: HolderIdTx): TxShape {
  // Plain loops: every transaction of a rebuild passes here.
  const perHolder = new Map<number, number>();
  let noHolder = 0;
  let maxInputsPerHolder = 0;
  for (let n = 0; n < t.inputIds.length; n++) {
    const id = t.inputIds[n];
    if (id < 0) {
      noHolder++;
      if (maxInputsPerHolder === 0) maxInputsPerHolder = 1;
      continue;
    }
    const c = (perHolder.get(id) ?? 0) + 1;
    perHolder.set(id, c);
    if (c > maxInputsPerHolder) maxInputsPerHolder = c;
  }
  const outputs: TxShape['outputs'] = [];
  const valueCounts = new Map<bigint, number>();
  const holders = new Set<number>();
  let noScript = 0;
  for (let n = 0; n < t.outputValues.length; n++) {
    if (t.outputNulldata[n]) continue;
    const value = t.outputValues[n];
    if (t.outputIds[n] < 0) noScript++;
    else holders.add(t.outputIds[n]);
    outputs.push({ value });
    valueCounts.set(value, (valueCounts.get(value) ?? 0) + 1);
  }
  return {
    tx: t.tx,
    inputs: t.inputIds.length,
    distinctInputHolders: perHolder.size + noHolder,
    maxInputsPerHolder,
    inputValues: t.inputValues,
    outputs,
    opReturns: t.outputValues.length - outputs.length,
    opReturnSizes: t.nulldataSizes,
    outputScriptsDistinct: holders.size + noScript === outputs.length,
    valueCounts,
    coinbase: t.coinbase,
  };
}

/** The shape of a model transaction. */
export function txShape(tx: UtxoTransaction): TxShape {
  return holderShape(localHolderIds(tx).t);
}

/** The most common output value and its count; ties go to the larger value, so the answer is deterministic. */
export function mostCommonValue(shape: TxShape): { value: bigint; count: number } | null {
  let best: { value: bigint; count: number } | null = null;
  for (const [value, count] of shape.valueCounts) {
    if (!best || count > best.count || (count === best.count && value > best.value)) best = { value, count };
  }
  return best;
}
