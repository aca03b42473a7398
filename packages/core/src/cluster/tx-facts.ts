import type { HolderIdTx, TxRef } from '../model/holder-id-tx.js';
import type { ScriptType } from '../model/utxo.js';
import { featuresOf, newInputScan, scanInput, type TxFeatures } from '../heuristics/change/tx-features.js';
import type { TxView } from '../heuristics/change/tx-view.js';

/** Script types by code: a store hands them to a run as small integers (`scriptTypeCode`). */
export const SCRIPT_TYPES: readonly ScriptType[] = ['p2pk', 'p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'multisig', 'nulldata', 'witness_unknown', 'nonstandard'];
const CODES = new Map<string, number>(SCRIPT_TYPES.map((t, k) => [t, k]));
const NULLDATA = CODES.get('nulldata')!;

/** A script type's code (index in SCRIPT_TYPES); an input holder without a known type is NO_TYPE. */
export function scriptTypeCode(t: ScriptType | null): number {
  return t === null ? NO_TYPE : CODES.get(t)!;
}
export const NO_TYPE = 255;

/**
 * What a clustering run reads about a run of consecutive UTXO transactions, as parallel arrays: per transaction
 * (index k), per input (inStart[k] .. inStart[k+1]) and per output (outStart[k] .. outStart[k+1], in output order).
 * Holders are integer ids (-1: none). A store fills it (`factsBuilder`) in one pass over its rows; what is not
 * asked for (FactsNeed) stays empty.
 */
export interface TxFacts {
  chain: string;
  count: number;
  rowId: number[];
  txid: string[];
  inBlock: number[];
  /** NaN where the height is not known. */
  height: number[];
  version: number[];
  locktime: number[];
  /** NaN where not known. */
  size: number[];
  vsize: number[];
  inStart: number[];
  inAddr: number[];
  inValue: (bigint | null)[];
  inSequence: number[];
  inCoinbase: number[];
  inResolved: number[];
  /** Code of the input holder's script type (holderScriptType), NO_TYPE when none. */
  inType: number[];
  outStart: number[];
  outAddr: number[];
  outValue: bigint[];
  outType: number[];
  /** For an OP_RETURN output, its data size in bytes (-1: script not known); 0 for others. */
  outNulldataSize: number[];
}

/**
 * What a run needs read: `ids` the guard and multi-input (txids, heights, holders, values, OP_RETURN sizes);
 * `features` what the change and peel rules read about a spending transaction (header fields and sequences as far
 * as factsFeatures reads them, which a store may hand over as stand-ins that give the same features; holders and the
 * input holders' script types; no txids or values); `view` what they read through a TxView when a context
 * gives the features (`ids` and the input holders' script types: no header fields or sequences); `all` everything.
 * Output script types come with each.
 */
export type FactsNeed = 'ids' | 'features' | 'view' | 'all';

/**
 * Fill TxFacts one row at a time: a transaction, then its inputs and outputs in order.
 * @example const b = factsBuilder('bitcoin'); b.tx(1, txid, 1, 5, 1, 0, NaN, NaN); b.output(3, 50n, 1, 0); b.done()
 */
export function factsBuilder(chain: string) {
  const f: TxFacts = {
    chain, count: 0, rowId: [], txid: [], inBlock: [], height: [], version: [], locktime: [], size: [], vsize: [],
    inStart: [0], inAddr: [], inValue: [], inSequence: [], inCoinbase: [], inResolved: [], inType: [],
    outStart: [0], outAddr: [], outValue: [], outType: [], outNulldataSize: [],
  };
  return {
    tx(rowId: number, txid: string, inBlock: number, height: number, version: number, locktime: number, size: number, vsize: number): void {
      if (f.count > 0) {
        f.inStart.push(f.inAddr.length);
        f.outStart.push(f.outAddr.length);
      }
      f.count++;
      f.rowId.push(rowId);
      f.txid.push(txid);
      f.inBlock.push(inBlock);
      f.height.push(height);
      f.version.push(version);
      f.locktime.push(locktime);
      f.size.push(size);
      f.vsize.push(vsize);
    },
    input(addr: number, value: bigint | null, sequence: number, coinbase: number, resolved: number, type: number): void {
      f.inAddr.push(addr);
      f.inValue.push(value);
      f.inSequence.push(sequence);
      f.inCoinbase.push(coinbase);
      f.inResolved.push(resolved);
      f.inType.push(type);
    },
    output(addr: number, value: bigint, type: number, nulldataSize: number): void {
      f.outAddr.push(addr);
      f.outValue.push(value);
      f.outType.push(type);
      f.outNulldataSize.push(nulldataSize);
    },
    done(): TxFacts {
      if (f.count > 0) {
        f.inStart.push(f.inAddr.length);
        f.outStart.push(f.outAddr.length);
      }
      return f;
    },
  };
}

/** As the model's isCoinbase: one input, a coinbase. */
export function factsCoinbase(f: TxFacts, k: number): boolean {
  const i = f.inStart[k];
  return f.inStart[k + 1] - i === 1 && f.inCoinbase[i] === 1;
}

/** Whether transaction k waits for an input to be resolved (a non-coinbase input not resolved yet). */
export function factsWaiting(f: TxFacts, k: number): boolean {
  for (let i = f.inStart[k]; i < f.inStart[k + 1]; i++) if (f.inCoinbase[i] === 0 && f.inResolved[i] === 0) return true;
  return false;
}

/** Spendable outputs of transaction k: not OP_RETURN, with a holder. */
export function factsSpendable(f: TxFacts, k: number): number {
  let n = 0;
  for (let o = f.outStart[k]; o < f.outStart[k + 1]; o++) if (f.outType[o] !== NULLDATA && f.outAddr[o] >= 0) n++;
  return n;
}

/** Transaction k's features (txFeatures), from its inputs' holders and script types (needs `features` or `all`). */
export function factsFeatures(f: TxFacts, k: number): TxFeatures {
  const scan = newInputScan();
  for (let i = f.inStart[k]; i < f.inStart[k + 1]; i++) {
    const a = f.inAddr[i];
    scanInput(scan, f.inCoinbase[i] === 1, f.inSequence[i], a < 0 ? null : a, a < 0 || f.inType[i] === NO_TYPE ? null : SCRIPT_TYPES[f.inType[i]]);
  }
  const size = f.size[k];
  const vsize = f.vsize[k];
  return featuresOf(scan, { version: f.version[k], locktime: f.locktime[k], size: Number.isNaN(size) ? null : size, vsize: Number.isNaN(vsize) ? null : vsize }, factsSpendable(f, k));
}

/** Transaction k as its evidence names it. */
export function factsRef(f: TxFacts, k: number): TxRef {
  const h = f.height[k];
  return { chain: f.chain, txid: f.txid[k], block: f.inBlock[k] === 1 ? { height: Number.isNaN(h) ? null : h } : null };
}

/** Transaction k as the CoinJoin guard and multi-input read it (needs `ids` or `all`). */
export function factsHolderIdTx(f: TxFacts, k: number): HolderIdTx {
  const i0 = f.inStart[k];
  const i1 = f.inStart[k + 1];
  const o0 = f.outStart[k];
  const o1 = f.outStart[k + 1];
  const coinbase = factsCoinbase(f, k);
  const inputIds: number[] = [];
  for (let i = i0; i < i1; i++) inputIds.push(coinbase ? -1 : f.inAddr[i]);
  const outputNulldata: boolean[] = [];
  const nulldataSizes: number[] = [];
  for (let o = o0; o < o1; o++) {
    const nd = f.outType[o] === NULLDATA;
    outputNulldata.push(nd);
    if (nd) nulldataSizes.push(f.outNulldataSize[o]);
  }
  return {
    tx: factsRef(f, k), coinbase, inputIds, inputValues: f.inValue.slice(i0, i1),
    outputIds: f.outAddr.slice(o0, o1), outputValues: f.outValue.slice(o0, o1), outputNulldata, nulldataSizes,
  };
}

/**
 * A TxView over transaction `k` of some facts: one object moved from transaction to transaction (`at`), so the
 * rules read the arrays with no object per transaction.
 * @example const c = factsCursor(); c.at(facts, 0); combineChangeOf(c, ctx)
 */
export function factsCursor(): TxView & { at(f: TxFacts, k: number): void; k: number; facts: TxFacts } {
  let f: TxFacts = factsBuilder('').done();
  let k = 0;
  let i0 = 0;
  let o0 = 0;
  return {
    get k() {
      return k;
    },
    get facts() {
      return f;
    },
    at(facts, at) {
      f = facts;
      k = at;
      i0 = f.inStart[k];
      o0 = f.outStart[k];
    },
    ref: () => factsRef(f, k),
    coinbase: () => factsCoinbase(f, k),
    inputs: () => f.inStart[k + 1] - i0,
    outputs: () => f.outStart[k + 1] - o0,
    inputCoinbase: (n) => f.inCoinbase[i0 + n] === 1,
    inputHolder: (n) => (f.inCoinbase[i0 + n] === 1 ? -1 : f.inAddr[i0 + n]),
    inputValue: (n) => f.inValue[i0 + n],
    inputType: (n) => (f.inType[i0 + n] === NO_TYPE ? null : SCRIPT_TYPES[f.inType[i0 + n]]),
    outputHolder: (n) => f.outAddr[o0 + n],
    outputValue: (n) => f.outValue[o0 + n],
    outputType: (n) => SCRIPT_TYPES[f.outType[o0 + n]],
  };
}
