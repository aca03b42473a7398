import { CtraceError } from '../../errors.js';
import type { AccountTransaction } from '../../model/account.js';
import { laySpans } from './spans.js';
import type { TaintStep, TaintedOutput, UtxoTaintRun } from './propagate-utxo.js';
import type { Span } from './types.js';

export interface TraceAccountBackwardParams {
  policy: 'fifo' | 'lifo';
  /** What to explain: transfers (txid and `value`, `internal:<traceAddress>`, `log:<logIndex>`), whole transactions, or everything an address received. */
  seeds: { addresses?: readonly string[]; txids?: readonly string[]; transfers?: readonly { txid: string; ref: string }[] };
  maxHops?: number;
  minAmount?: bigint;
  stopAt?: (holder: string) => boolean;
  opening?: readonly { address: string; asset: string; value: bigint }[];
}

interface MoveRec { txid: string; ref: string; index: number; from: string; to: string; value: bigint; asset: string; height: number; time: number }
/** A holding's lot: `amount` units of transfer `seq`, starting `start` units into it (-1: before the case). */
interface Lot { seq: number; start: bigint; amount: bigint }

/**
 * Where did an account's money come from: the exact inverse of account-model fifo (or lifo) with each transfer's units
 * kept in the order they were taken. One forward pass over the case records which earlier transfers every transfer
 * consumed (memory grows with the case's transfers); then the seeds' units are followed back, exactly, hop by hop.
 * Units older than the case (or a genesis balance) end the walk as `vout` -1 records held by the spender.
 * @param txs account transactions in block order
 * @param params policy, seeds and bounds
 * @returns a walk in the shape of a UTXO walk (direction backward)
 * @throws CtraceError USAGE for haircut (a mixed pot has no order to invert)
 * @example traceAccountBackward(txs, { policy: 'fifo', seeds: { addresses: [victim] } })
 */
export function traceAccountBackward(txs: Iterable<AccountTransaction>, params: TraceAccountBackwardParams): UtxoTaintRun {
  if (params.policy !== 'fifo' && params.policy !== 'lifo') throw new CtraceError('USAGE', `tracing back on account chains uses fifo or lifo, not ${params.policy}`);
  const moves: MoveRec[] = [];
  const consumed: Lot[][] = [];
  const holdings = new Map<string, Lot[]>();
  const lotsOf = (asset: string, h: string) => {
    const k = `${asset}\u0000${h}`;
    let l = holdings.get(k);
    if (!l) holdings.set(k, (l = []));
    return l;
  };
  for (const o of params.opening ?? []) lotsOf(o.asset, o.address).push({ seq: -1, start: 0n, amount: o.value });
  const take = (lots: Lot[], amount: bigint): Lot[] => {
    const out: Lot[] = [];
    let left = amount;
    while (left > 0n && lots.length) {
      const lot = params.policy === 'fifo' ? lots[0] : lots[lots.length - 1];
      const a = lot.amount <= left ? lot.amount : left;
      out.push({ seq: lot.seq, start: lot.start, amount: a });
      lot.start += a;
      lot.amount -= a;
      left -= a;
      if (lot.amount === 0n) (params.policy === 'fifo' ? lots.shift() : lots.pop());
    }
    if (left > 0n) out.push({ seq: -1, start: 0n, amount: left });
    return out;
  };
  for (const tx of txs) {
    if (tx.status === 'success') {
      let index = 0;
      const add = (ref: string, from: string, to: string | null, value: bigint, asset: string) => {
        if (to === null || value === 0n) return;
        const seq = moves.length;
        moves.push({ txid: tx.hash, ref, index: index++, from, to, value, asset, height: tx.blockNumber, time: tx.blockTime });
        consumed.push(take(lotsOf(asset, from), value));
        lotsOf(asset, to).push({ seq, start: 0n, amount: value });
      };
      add('value', tx.from, tx.to ?? tx.contractAddress, tx.value, 'native');
      for (const t of tx.internalTransfers) if (t.traceAddress !== '') add(`internal:${t.traceAddress}`, t.from, t.to, t.value, 'native');
      for (const t of [...tx.tokenTransfers].sort((a, b) => a.logIndex - b.logIndex)) add(`log:${t.logIndex}`, t.from, t.to, t.value, t.token);
    }
    take(lotsOf('native', tx.from), tx.fee);
  }
  return walkBack(moves, consumed, params);
}

function walkBack(moves: MoveRec[], consumed: Lot[][], params: TraceAccountBackwardParams): UtxoTaintRun {
  const run: UtxoTaintRun = { policy: params.policy, policyVersion: 1, direction: 'backward', outputs: [], steps: [], skipped: [], seeded: 0n, dropped: 0n, fee: 0n };
  const wanted = new Map<number, { spans: Span[]; hop: number; via: TaintedOutput['via'] }>();
  const refs = new Set((params.seeds.transfers ?? []).map((t) => `${t.txid} ${t.ref}`));
  const txids = new Set(params.seeds.txids ?? []);
  const addresses = new Set(params.seeds.addresses ?? []);
  moves.forEach((m, seq) => {
    if (refs.has(`${m.txid} ${m.ref}`) || txids.has(m.txid) || addresses.has(m.to)) {
      wanted.set(seq, { spans: [[0n, m.value]], hop: 0, via: null });
      run.seeded += m.value;
    }
  });
  const maxHops = params.maxHops ?? Number.POSITIVE_INFINITY;
  const minAmount = params.minAmount ?? 1n;
  for (let seq = moves.length - 1; seq >= 0; seq--) {
    const w = wanted.get(seq);
    if (!w) continue;
    const m = moves[seq];
    const taint = w.spans.reduce((s, [a, b]) => s + b - a, 0n);
    if (taint < minAmount) {
      run.dropped += taint;
      continue;
    }
    const rec: TaintedOutput = { txid: m.txid, vout: m.index, ref: m.ref, asset: m.asset, holder: m.to, value: m.value, taint, spans: w.spans, hop: w.hop, height: m.height, time: m.time, via: w.via, next: null, stopped: null };
    if (w.hop > 0 && params.stopAt?.(m.to) && !addresses.has(m.to)) rec.stopped = 'label';
    else if (w.hop >= maxHops) rec.stopped = 'hops';
    run.outputs.push(rec);
    if (rec.stopped) continue;
    // Lay the consumed lots end to end and cut out the wanted spans: each lot's share, as spans inside its transfer.
    const lots = consumed[seq];
    const { shares } = laySpans([{ value: m.value, taint, spans: w.spans }], lots.map((l) => l.amount));
    const step: TaintStep = { txid: m.txid, height: m.height, time: m.time, hop: w.hop + 1, from: [{ txid: m.txid, vout: m.index, holder: m.to, taint }], to: [], fee: 0n };
    lots.forEach((lot, k) => {
      const got = shares[k].taint;
      if (got === 0n) return;
      const via = { txid: m.txid, vout: m.index, amount: got };
      if (lot.seq < 0) {
        run.outputs.push({ txid: m.txid, vout: -1, ref: 'before the case', asset: m.asset, holder: m.from, value: got, taint: got, hop: w.hop + 1, height: m.height, time: m.time, via, next: m.txid, stopped: null });
        step.to.push({ txid: m.txid, vout: -1, holder: m.from, value: got, taint: got });
        return;
      }
      const src = moves[lot.seq];
      const spans = (shares[k].spans ?? []).map(([a, b]) => [a + lot.start, b + lot.start] as Span);
      const prev = wanted.get(lot.seq);
      if (prev) {
        prev.spans = mergeSpans([...prev.spans, ...spans]);
        if (w.hop + 1 < prev.hop) prev.hop = w.hop + 1;
        if (!prev.via || got > prev.via.amount) prev.via = via;
      } else wanted.set(lot.seq, { spans, hop: w.hop + 1, via });
      step.to.push({ txid: src.txid, vout: src.index, holder: src.to, value: src.value, taint: got });
    });
    run.steps.push(step);
  }
  return run;
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) out[out.length - 1] = [last[0], s[1] > last[1] ? s[1] : last[1]];
    else out.push(s);
  }
  return out;
}
