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
  { id: wasabi1.id, version: wasabi1.version, detect: (s: TxShape) => wasabi1.wasabi1(s) },
  { id: wasabi2.id, version: wasabi2.version, detect: (s: TxShape) => wasabi2.wasabi2(s) },
  { id: whirlpool.id, version: whirlpool.version, detect: (s: TxShape) => whirlpool.whirlpool(s) },
  { id: tx0.id, version: tx0.version, detect: (s: TxShape) => tx0.whirlpoolTx0(s) },
  { id: joinmarket.id, version: joinmarket.version, detect: (s: TxShape) => joinmarket.joinmarket(s) },
  { id: generic.id, version: generic.version, detect: (s: TxShape) => generic.coinjoinGeneric(s) },
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
 * Run the enabled CoinJoin detectors (default all) on a transaction's shape; a STONEWALL match vetoes their flags.
 * @param enabled detector ids to run; `stonewall` in it enables the veto
 * @example coinjoinVerdict(holderShape(t)).coinjoin
 */
export function coinjoinVerdict(shape: TxShape, enabled: ReadonlySet<string> | null = null): CoinjoinVerdict {
  const flags: Evidence[] = [];
  for (const d of COINJOIN_DETECTORS) {
    if (enabled && !enabled.has(d.id)) continue;
    const e = d.detect(shape);
    if (e) flags.push(e);
  }
  if (flags.length === 0) return { coinjoin: false, flags, veto: null };
  const veto = !enabled || enabled.has(stonewall.id) ? stonewall.stonewall(shape) : null;
  return veto ? { coinjoin: false, flags: [], veto } : { coinjoin: true, flags, veto: null };
}

/**
 * The CoinJoin verdict on a model transaction.
 * @example detectCoinjoin(tx).coinjoin
 */
export function detectCoinjoin(tx: UtxoTransaction, enabled: ReadonlySet<string> | null = null): CoinjoinVerdict {
  return coinjoinVerdict(txShape(tx), enabled);
}
