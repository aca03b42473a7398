import type { UtxoTransaction } from '../../model/utxo.js';
import type { Evidence } from '../cluster/evidence.js';
import * as ambiguous from './ambiguous-equal-output.js';
import * as generic from './coinjoin-generic.js';
import * as joinmarket from './joinmarket.js';
import * as wasabi1 from './wasabi-1.js';
import * as wasabi2 from './wasabi-2.js';
import * as whirlpool from './whirlpool.js';
import * as tx0 from './whirlpool-tx0.js';
import { type TxShape, txShape } from './shape.js';

/** The CoinJoin detectors of heuristics.md §3 in the order they are tried. */
export const COINJOIN_DETECTORS = [
  { id: wasabi1.id, version: wasabi1.version, detect: (s: TxShape) => wasabi1.wasabi1(s) },
  { id: wasabi2.id, version: wasabi2.version, detect: (s: TxShape) => wasabi2.wasabi2(s) },
  { id: whirlpool.id, version: whirlpool.version, detect: (s: TxShape) => whirlpool.whirlpool(s) },
  { id: tx0.id, version: tx0.version, detect: (s: TxShape) => tx0.whirlpoolTx0(s) },
  { id: joinmarket.id, version: joinmarket.version, detect: (s: TxShape) => joinmarket.joinmarket(s) },
  { id: generic.id, version: generic.version, detect: (s: TxShape) => generic.coinjoinGeneric(s) },
] as const;

/** Every id the guard knows: the detectors and the ambiguity check. */
export const COINJOIN_IDS: readonly string[] = [...COINJOIN_DETECTORS.map((d) => d.id), ambiguous.id];

/** The detectors whose shapes the ambiguous one also is; a specific protocol's flag (Whirlpool, Wasabi) stands. */
const SHAPE_ONLY: ReadonlySet<string> = new Set([generic.id, joinmarket.id]);

export interface CoinjoinVerdict {
  /** A CoinJoin detector flagged it (and the ambiguity check did not take the flag over). */
  coinjoin: boolean;
  /** The detectors that flagged it (empty when none did, or when the ambiguous shape took over). */
  flags: Evidence[];
  /** The `ambiguous-equal-output` match: one owner or two, nothing on chain says which. */
  ambiguous: Evidence | null;
  /** No same-owner link may come from it: a CoinJoin, or the ambiguous shape. */
  guarded: boolean;
}

/** The verdict on a transaction no guard runs on. */
export const UNGUARDED: CoinjoinVerdict = { coinjoin: false, flags: [], ambiguous: null, guarded: false };

/**
 * Run the enabled CoinJoin detectors (default all) on a transaction's shape. The ambiguous equal-output shape
 * (when enabled) is reported as such instead of the generic or JoinMarket flags it also raises; either way the
 * transaction is guarded.
 * @param enabled detector ids to run; `ambiguous-equal-output` in it enables the ambiguity check
 * @example coinjoinVerdict(holderShape(t)).guarded
 */
export function coinjoinVerdict(shape: TxShape, enabled: ReadonlySet<string> | null = null): CoinjoinVerdict {
  const flags: Evidence[] = [];
  for (const d of COINJOIN_DETECTORS) {
    if (enabled && !enabled.has(d.id)) continue;
    const e = d.detect(shape);
    if (e) flags.push(e);
  }
  const amb = !enabled || enabled.has(ambiguous.id) ? ambiguous.ambiguousEqualOutput(shape) : null;
  if (amb && flags.every((f) => SHAPE_ONLY.has(f.rule))) return { coinjoin: false, flags: [], ambiguous: amb, guarded: true };
  if (flags.length === 0) return UNGUARDED;
  return { coinjoin: true, flags, ambiguous: null, guarded: true };
}

/**
 * The CoinJoin verdict on a model transaction.
 * @example detectCoinjoin(tx).coinjoin
 */
export function detectCoinjoin(tx: UtxoTransaction, enabled: ReadonlySet<string> | null = null): CoinjoinVerdict {
  return coinjoinVerdict(txShape(tx), enabled);
}
