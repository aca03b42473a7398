import { cmpStr, type Flow, type TypologyHit } from './flows.js';

export const version = 1;
export const defaultParams = { minSenders: 5, minReceivers: 5, minDeposits: 5, minInputs: 5 };
export type FanPatternParams = typeof defaultParams;

/**
 * Three patterns of the drug trade and of services, from flows (UTXO transactions, or account transfers per asset, so
 * that stablecoin flows are judged apart from the native coin):
 * - `aggregator`: many senders fan in to one holder, which then fans out to many receivers;
 * - `market-consolidation`: one transaction gathers many deposit addresses (each paid by others) into one or two;
 * - `deposit-sweep`: many deposit addresses each forward what they got, alone, to the same target (an exchange's
 *   hot wallet, a market's wallet).
 * @param flows the case's flows in time order
 * @param params thresholds (defaults: 5 senders, 5 receivers, 5 deposits, 5 inputs)
 * @returns the hits, sorted by typology then holder
 * @example detectFanPatterns(flows).filter((h) => h.typology === 'aggregator')
 */
export function detectFanPatterns(flows: Iterable<Flow>, params: Partial<FanPatternParams> = {}): TypologyHit[] {
  const p = { ...defaultParams, ...params };
  const key = (asset: string, holder: string) => `${asset}\u0000${holder}`;
  const stats = new Map<string, { senders: Set<string>; receivers: Set<string>; inTx: string[]; outTx: string[]; firstIn: number; lastOut: number }>();
  const stat = (k: string) => {
    let s = stats.get(k);
    if (!s) stats.set(k, (s = { senders: new Set(), receivers: new Set(), inTx: [], outTx: [], firstIn: Infinity, lastOut: -Infinity }));
    return s;
  };
  const sweeps = new Map<string, { deposits: Set<string>; txids: string[] }>();
  const hits: TypologyHit[] = [];
  let seq = 0;
  for (const f of flows) {
    seq++;
    const t = f.time ?? seq;
    const receivers = [...new Set(f.to.map((o) => o.holder))];
    for (const r of receivers) {
      if (f.from.includes(r)) continue;
      const s = stat(key(f.asset, r));
      for (const snd of f.from) s.senders.add(snd);
      s.inTx.push(f.txid);
      s.firstIn = Math.min(s.firstIn, t);
    }
    for (const snd of f.from) {
      const s = stat(key(f.asset, snd));
      for (const r of receivers) if (r !== snd) s.receivers.add(r);
      s.outTx.push(f.txid);
      s.lastOut = Math.max(s.lastOut, t);
    }
    const outside = receivers.filter((r) => !f.from.includes(r));
    // A sweep: one paying holder, one receiver, the payer having been paid by others before.
    if (f.from.length === 1 && outside.length === 1 && receivers.length === 1 && (stats.get(key(f.asset, f.from[0]))?.senders.size ?? 0) > 0) {
      const k = key(f.asset, outside[0]);
      const sw = sweeps.get(k) ?? { deposits: new Set<string>(), txids: [] };
      sw.deposits.add(f.from[0]);
      sw.txids.push(f.txid);
      sweeps.set(k, sw);
    }
    // A consolidation: many paying holders, each paid by others before, into one or two receivers.
    const deposits = f.from.filter((h) => (stats.get(key(f.asset, h))?.senders.size ?? 0) > 0);
    if (f.from.length >= p.minInputs && deposits.length >= p.minInputs && receivers.length <= 2) {
      const target = [...receivers].sort((a, b) => cmpBig(received(f, b), received(f, a)) || cmpStr(a, b))[0];
      if (target) hits.push({ typology: 'market-consolidation', holder: target, members: [...deposits].sort(), asset: f.asset, txids: [f.txid], detail: `one transaction gathers ${deposits.length} deposit addresses, each paid by others` });
    }
  }
  for (const [k, s] of stats) {
    const [asset, holder] = k.split('\u0000');
    if (s.senders.size >= p.minSenders && s.receivers.size >= p.minReceivers && s.firstIn <= s.lastOut) {
      hits.push({ typology: 'aggregator', holder, members: [], asset, txids: [...new Set([...s.inTx, ...s.outTx])].slice(0, 20), detail: `${s.senders.size} senders in, ${s.receivers.size} receivers out` });
    }
  }
  for (const [k, s] of sweeps) {
    const [asset, holder] = k.split('\u0000');
    if (s.deposits.size >= p.minDeposits) {
      hits.push({ typology: 'deposit-sweep', holder, members: [...s.deposits].sort(), asset, txids: s.txids.slice(0, 20), detail: `${s.deposits.size} deposit addresses each swept alone into it` });
    }
  }
  return hits.sort((a, b) => cmpStr(a.typology, b.typology) || cmpStr(a.holder, b.holder) || cmpStr(a.asset, b.asset) || cmpStr(a.txids[0], b.txids[0]));
}

function received(f: Flow, holder: string): bigint {
  return f.to.filter((o) => o.holder === holder).reduce((s, o) => s + o.value, 0n);
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
