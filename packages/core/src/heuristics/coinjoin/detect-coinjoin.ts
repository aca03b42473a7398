import type { UtxoTransaction } from '../../model/utxo.js';
import type { Evidence } from '../cluster/evidence.js';
import * as generic from './coinjoin-generic.js';
import * as joinmarket from './joinmarket.js';
import * as stonewall from './stonewall.js';
import * as wasabi1 from './wasabi-1.js';
import * as wasabi2 from './wasabi-2.js';
import * as whirlpool from './whirlpool.js';
import * as tx0 from './whirlpool-tx0.js';
import { type TxShape, txShape } from './shape.js';

/** The CoinJoin detectors of heuristics.md §3 in the order they are tried; `stonewall` vetoes the rest. */
export const COINJOIN_DETECTORS = [
  { id: wasabi1.id, version: wasabi1.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => wasabi1.wasabi1(tx, wasabi1.defaultParams, s) },
  { id: wasabi2.id, version: wasabi2.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => wasabi2.wasabi2(tx, wasabi2.defaultParams, s) },
  { id: whirlpool.id, version: whirlpool.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => whirlpool.whirlpool(tx, whirlpool.defaultParams, s) },
  { id: tx0.id, version: tx0.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => tx0.whirlpoolTx0(tx, tx0.defaultParams, s) },
  { id: joinmarket.id, version: joinmarket.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => joinmarket.joinmarket(tx, joinmarket.defaultParams, s) },
  { id: generic.id, version: generic.version, detect: (tx: UtxoTransaction, s: TxShape = txShape(tx)) => generic.coinjoinGeneric(tx, generic.defaultParams, s) },
] as const;

export const COINJOIN_IDS: readonly string[] = [...COINJOIN_DETECTORS.map((d) => d.id), stonewall.id];

export interface CoinjoinVerdict {
  coinjoin: boolean;
  /** The detectors that flagged it (empty when none did, or when vetoed). */
  flags: Evidence[];
  /** The STONEWALL veto, when it fired over at least one flag. */
  veto: Evidence | null;
}

/**
 * Run the enabled CoinJoin detectors (default all) on a transaction; a STONEWALL match vetoes their flags.
 * @param enabled detector ids to run; `stonewall` in it enables the veto
 * @example detectCoinjoin(tx).coinjoin
 */
export function detectCoinjoin(tx: UtxoTransaction, enabled: ReadonlySet<string> | null = null): CoinjoinVerdict {
  const flags: Evidence[] = [];
  // Every detector reads the same counts: computed once here.
  const shape = txShape(tx);
  for (const d of COINJOIN_DETECTORS) {
    if (enabled && !enabled.has(d.id)) continue;
    const e = d.detect(tx, shape);
    if (e) flags.push(e);
  }
  if (flags.length === 0) return { coinjoin: false, flags, veto: null };
  const veto = !enabled || enabled.has(stonewall.id) ? stonewall.stonewall(tx, stonewall.defaultParams, shape) : null;
  return veto ? { coinjoin: false, flags: [], veto } : { coinjoin: true, flags, veto: null };
}
