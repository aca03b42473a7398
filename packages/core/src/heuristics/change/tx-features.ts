import type { ScriptType, UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';
import { holderScriptType, spendableOutputs } from './holder-type.js';

/**
 * What the fingerprint rules and peel-chain read about a spending transaction. One computation serves the model
 * (`txFeatures`) and the store's compact rows (`scanInput` + `featuresOf` over ids and script types).
 */
export interface TxFeatures {
  /** nLockTime is zero. */
  locktimeZero: boolean;
  version: number;
  /** Some input opts in to replace-by-fee (BIP 125: sequence < 0xfffffffe). */
  rbf: boolean;
  /** The transaction carries witness data: its size exceeds its virtual size, or it spends a native segwit output. */
  segwit: boolean;
  /** The multisig-capable script forms the inputs spend, sorted and joined ('' when none). */
  multisig: string;
  /** Peel shape: one input owner, every input with a holder, exactly two spendable outputs, not a coinbase. */
  peelShaped: boolean;
}

/** The inputs' part of the features, gathered one input at a time. */
export interface InputScan {
  inputs: number;
  firstCoinbase: boolean;
  rbf: boolean;
  nativeSegwit: boolean;
  /** Bits of MULTISIG_FORMS. */
  multisig: number;
  /** Distinct non-coinbase input holders, counted up to 2. */
  holders: number;
  first: string | number | null;
  missingHolder: boolean;
}

const NATIVE_SEGWIT = new Set<string>(['p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown']);
/** In sorted order: a mask joins to the sorted form list. */
const MULTISIG_FORMS = ['multisig', 'nonstandard', 'p2sh', 'p2wsh'];
const FORM_NAMES: string[] = [];
for (let m = 0; m < 1 << MULTISIG_FORMS.length; m++) FORM_NAMES.push(MULTISIG_FORMS.filter((_, b) => m & (1 << b)).join('+'));

export function newInputScan(): InputScan {
  return { inputs: 0, firstCoinbase: false, rbf: false, nativeSegwit: false, multisig: 0, holders: 0, first: null, missingHolder: false };
}

/**
 * Add one input to a scan.
 * @param holder the input's holder as any key that is equal for equal holders (its text, or its store id); null when none
 * @param type the holder's script type (holderScriptType)
 */
export function scanInput(s: InputScan, coinbase: boolean, sequence: number, holder: string | number | null, type: ScriptType | null): void {
  if (s.inputs === 0) s.firstCoinbase = coinbase;
  s.inputs++;
  if (!coinbase && sequence < 0xfffffffe) s.rbf = true;
  if (holder === null) {
    s.missingHolder = true;
    return;
  }
  if (type !== null) {
    if (NATIVE_SEGWIT.has(type)) s.nativeSegwit = true;
    const bit = MULTISIG_FORMS.indexOf(type);
    if (bit >= 0) s.multisig |= 1 << bit;
  }
  if (coinbase) return;
  if (s.holders === 0) {
    s.holders = 1;
    s.first = holder;
  } else if (s.holders === 1 && holder !== s.first) s.holders = 2;
}

/** The features from a finished input scan, the transaction's header fields and its number of spendable outputs. */
export function featuresOf(s: InputScan, tx: { version: number; locktime: number; size: number | null; vsize: number | null }, spendableOutputs: number): TxFeatures {
  return {
    locktimeZero: tx.locktime === 0,
    version: tx.version,
    rbf: s.rbf,
    segwit: (tx.size !== null && tx.vsize !== null && tx.size > tx.vsize) || s.nativeSegwit,
    multisig: FORM_NAMES[s.multisig],
    peelShaped: !(s.inputs === 1 && s.firstCoinbase) && !s.missingHolder && s.holders === 1 && spendableOutputs === 2,
  };
}

// Each spending transaction is asked once per output and per rule: remember the answer per transaction object.
const known = new WeakMap<UtxoTransaction, TxFeatures>();

/** The features of a model transaction. */
export function txFeatures(tx: UtxoTransaction): TxFeatures {
  let f = known.get(tx);
  if (f === undefined) {
    const s = newInputScan();
    for (const i of tx.inputs) {
      const h = holderOf(i);
      scanInput(s, i.coinbase, i.sequence, h, h === null ? null : holderScriptType(tx.chain, h));
    }
    f = featuresOf(s, tx, spendableOutputs(tx).length);
    known.set(tx, f);
  }
  return f;
}
