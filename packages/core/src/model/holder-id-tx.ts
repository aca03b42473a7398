import { bytesOfHex } from '../data-carrier/hex.js';
import { nulldataPayload } from '../data-carrier/nulldata.js';
import type { UtxoOutput, UtxoTransaction } from './utxo.js';
import { holderOf, isCoinbase } from './utxo.js';

/** A transaction as an evidence record names it: chain, txid and the height of its block. */
export interface TxRef {
  chain: string;
  txid: string;
  block: { height: number | null } | null;
}

/**
 * A UTXO transaction as the CoinJoin guard and multi-input read it: holders as integer ids, -1 where there is
 * none (a coinbase or unresolved input, an output without a holder). Two inputs or outputs have one holder exactly
 * when their ids are equal. A store's rebuild reads it from compact rows; a model transaction maps to it with
 * `holderIdTx`.
 */
export interface HolderIdTx {
  tx: TxRef;
  coinbase: boolean;
  inputIds: ArrayLike<number>;
  /** Null while an input is not resolved. */
  inputValues: readonly (bigint | null)[];
  outputIds: ArrayLike<number>;
  outputValues: readonly bigint[];
  /** True for an OP_RETURN output (script type nulldata). */
  outputNulldata: readonly boolean[];
  /** Each OP_RETURN output's data size in bytes (its pushes joined), in output order; -1 where the script is not known. */
  nulldataSizes: readonly number[];
}

/**
 * A model transaction with its holders' ids (as `IdTx` carries them) as a HolderIdTx.
 * @example holderIdTx(tx, [3, 3, 7], [9, -1]).coinbase
 */
export function holderIdTx(tx: UtxoTransaction, inputIds: ArrayLike<number>, outputIds: ArrayLike<number>): HolderIdTx {
  const coinbase = isCoinbase(tx);
  return {
    tx,
    coinbase,
    // A coinbase input has no holder, whatever id it was given.
    inputIds: coinbase ? tx.inputs.map(() => -1) : inputIds,
    inputValues: tx.inputs.map((i) => i.value),
    outputIds,
    outputValues: tx.outputs.map((o) => o.value),
    outputNulldata: tx.outputs.map((o) => o.scriptType === 'nulldata'),
    nulldataSizes: tx.outputs.filter((o) => o.scriptType === 'nulldata').map(nulldataSize),
  };
}

/** An OP_RETURN output's data size in bytes, or -1 when its script is not known. */
export function nulldataSize(o: UtxoOutput): number {
  const script = o.nulldata === undefined ? null : bytesOfHex(o.nulldata);
  return (script && nulldataPayload(script)?.payload.length) ?? -1;
}

/**
 * Integer ids for holders in order of appearance (0, 1, ...; -1 for no holder), and the holder each id stands for.
 * @example const n = holderNumbering(); n.idOf('1A'); n.holders[0] // '1A'
 */
export function holderNumbering(): { idOf(holder: string | null): number; holders: string[] } {
  const ids = new Map<string, number>();
  const holders: string[] = [];
  return {
    idOf(h) {
      if (h === null) return -1;
      let id = ids.get(h);
      if (id === undefined) {
        id = holders.length;
        ids.set(h, id);
        holders.push(h);
      }
      return id;
    },
    holders,
  };
}

/**
 * A model transaction as a HolderIdTx with ids local to it (holderNumbering), and the holder each id stands for.
 * @example const { t, holders } = localHolderIds(tx); holders[t.inputIds[0]]
 */
export function localHolderIds(tx: UtxoTransaction): { t: HolderIdTx; holders: string[] } {
  const { idOf, holders } = holderNumbering();
  const inputIds = tx.inputs.map((i) => idOf(holderOf(i)));
  const outputIds = tx.outputs.map((o) => idOf(holderOf(o)));
  return { t: holderIdTx(tx, inputIds, outputIds), holders };
}
