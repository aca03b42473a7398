import { cmpStr, type Flow, type TypologyHit } from './flows.js';

export const version = 1;
export const defaultParams = { minSenders: 5, minReceivers: 5, minDeposits: 5, minInputs: 3, maxLifetime: 6 * 3600 };
export type FanPatternParams = typeof defaultParams;

/**
 * Three patterns of the drug trade and of services, from flows (UTXO transactions, or account transfers per asset, so
 * that stablecoin flows are judged apart from the native coin):
 * - `aggregator`: many senders fan in to one holder, which then fans out to many receivers, all within
 *   `maxLifetime` seconds, passing on at least 90 % of what it got (a long-lived or float-keeping hub is not one);
 * - `market-consolidation`: one transaction gathers several deposit addresses (each paid by others) into one fresh
 *   address that is never a sweep target (a market moving its order addresses to a new hot address);
 * - `deposit-sweep`: deposit addresses (each paid by others) forward what they got (alone: at least 90 % of what they
 *   hold) to the same, reused target, in several transactions (an exchange's hot wallet).
 * @param flows the case's flows in time order
 * @param params thresholds (defaults: 5 senders, 5 receivers, 5 deposits, 3 inputs, 6 hours)
 * @returns the hits, sorted by typology then holder
 * @example detectFanPatterns(flows).filter((h) => h.typology === 'aggregator')
 */
export function detectFanPatterns(flows: Iterable<Flow>, params: Partial<FanPatternParams> = {}): TypologyHit[] {
  const p = { ...defaultParams, ...params };
  // Per (asset, holder): kept lean (a large case's flows meet more than a million holders).
  type Stat = { asset: string; holder: string; senders: Distinct; receivers: Distinct; inTx: string[]; outTx: string[]; firstIn: number; lastOut: number; received: bigint; sent: bigint };
  // Each (asset, holder) met once, by asset then holder (no key string per lookup); `stats` in the order first met.
  const byAsset = new Map<string, Map<string, Stat>>();
  const stats: Stat[] = [];
  const statOf = (asset: string, holder: string): Stat | undefined => byAsset.get(asset)?.get(holder);
  const stat = (asset: string, holder: string): Stat => {
    let of = byAsset.get(asset);
    if (!of) byAsset.set(asset, (of = new Map()));
    let s = of.get(holder);
    if (s === undefined) {
      of.set(holder, (s = { asset, holder, senders: null, receivers: null, inTx: NONE, outTx: NONE, firstIn: Infinity, lastOut: -Infinity, received: 0n, sent: 0n }));
      stats.push(s);
    }
    return s;
  };
  // Sweeps by their target's stats.
  const sweeps = new Map<Stat, { deposits: Set<string>; txids: string[] }>();
  const hits: TypologyHit[] = [];
  const consolidations: TypologyHit[] = [];
  let seq = 0;
  for (const f of flows) {
    seq++;
    const t = f.time ?? f.seq ?? seq;
    const receivers = [...new Set(f.to.map((o) => o.holder))];
    const outside = receivers.filter((r) => !f.from.includes(r));
    const paidOut = outside.reduce((sum, r) => sum + received(f, r), 0n);
    // A single payer that sends on (nearly) all it holds: the mark of a deposit address being swept.
    const single = f.from.length === 1 ? statOf(f.asset, f.from[0]) : undefined;
    const empties = single !== undefined && single.received - single.sent > 0n && paidOut * 10n >= (single.received - single.sent) * 9n;
    for (const r of outside) {
      const s = stat(f.asset, r);
      for (const snd of f.from) s.senders = withDistinct(s.senders, snd);
      s.inTx = withTxid(s.inTx, f.txid);
      s.firstIn = Math.min(s.firstIn, t);
      s.received += received(f, r);
    }
    for (const snd of f.from) {
      const s = stat(f.asset, snd);
      for (const r of outside) s.receivers = withDistinct(s.receivers, r);
      s.outTx = withTxid(s.outTx, f.txid);
      s.lastOut = Math.max(s.lastOut, t);
      s.sent += paidOut / BigInt(f.from.length);
    }
    // Paying holders that were paid by others before: deposit addresses.
    const deposits = f.from.filter((h) => sizeOf(statOf(f.asset, h)?.senders ?? null) > 0);
    if (deposits.length === f.from.length && deposits.length > 0 && outside.length === 1 && receivers.length === 1 && (deposits.length > 1 || empties)) {
      const target = outside[0];
      const k = statOf(f.asset, target)!;
      const seenBefore = k.inTx.length > 1;
      const sw = sweeps.get(k) ?? { deposits: new Set<string>(), txids: [] };
      for (const d of deposits) sw.deposits.add(d);
      sw.txids.push(f.txid);
      sweeps.set(k, sw);
      if (deposits.length >= p.minInputs && !seenBefore) {
        consolidations.push({ typology: 'market-consolidation', holder: target, members: [...deposits].sort(), asset: f.asset, txids: [f.txid], detail: `one transaction gathers ${deposits.length} deposit addresses, each paid by others, into a fresh address` });
      }
    }
  }
  for (const s of stats) {
    // A pass-through: it sent on at least 90 % of what it received (a hub that keeps a float is not one).
    const passThrough = s.sent * 10n >= s.received * 9n;
    if (sizeOf(s.senders) >= p.minSenders && sizeOf(s.receivers) >= p.minReceivers && s.firstIn <= s.lastOut && s.lastOut - s.firstIn <= p.maxLifetime && passThrough) {
      hits.push({ typology: 'aggregator', holder: s.holder, members: [], asset: s.asset, txids: [...new Set([...s.inTx, ...s.outTx])].slice(0, 20), detail: `${sizeOf(s.senders)} senders in, ${sizeOf(s.receivers)} receivers out` });
    }
  }
  for (const c of consolidations) {
    // A target that went on to receive sweeps again is a service's hot wallet, not a fresh market address.
    if ((sweeps.get(statOf(c.asset, c.holder)!)?.txids.length ?? 0) <= 1) hits.push(c);
  }
  for (const [{ asset, holder }, s] of sweeps) {
    if (s.deposits.size >= p.minDeposits && s.txids.length >= 2) {
      hits.push({ typology: 'deposit-sweep', holder, members: [...s.deposits].sort(), asset, txids: s.txids.slice(0, 20), detail: `${s.deposits.size} deposit addresses swept into it in ${s.txids.length} transactions` });
    }
  }
  return hits.sort((a, b) => cmpStr(a.typology, b.typology) || cmpStr(a.holder, b.holder) || cmpStr(a.asset, b.asset) || cmpStr(a.txids[0], b.txids[0]));
}

/** Distinct strings, kept small: none, the one string, or a Set once there are two. */
type Distinct = null | string | Set<string>;

function withDistinct(d: Distinct, x: string): Distinct {
  if (d === null || d === x) return x;
  if (typeof d === 'string') return new Set([d, x]);
  d.add(x);
  return d;
}

function sizeOf(d: Distinct): number {
  return d === null ? 0 : typeof d === 'string' ? 1 : d.size;
}

/** The empty txid list every holder starts with: shared, never pushed to (a list is made at its first txid, at its length). */
const NONE: string[] = [];

function withTxid(list: string[], txid: string): string[] {
  if (list === NONE) return [txid];
  list.push(txid);
  return list;
}

function received(f: Flow, holder: string): bigint {
  return f.to.filter((o) => o.holder === holder).reduce((s, o) => s + o.value, 0n);
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
