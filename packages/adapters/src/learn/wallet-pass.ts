import { SCRIPT_TYPES, btcUsdAt, isRoundUsd } from '@cryptotrace/core';
import type { Db } from '../store/sqlite/open.js';
import { type WalletGraph, edgeBuffer } from './wallet-edges.js';
import { ILLICIT, SERVICE, EXCHANGE, MIXER, type WalletIndex } from './wallet-index.js';
import { medianBuffer } from './wallet-medians.js';
import { timeOfWeek } from './time-profile.js';
import { idTransactions } from './wallet-stream.js';

/**
 * What one pass over the store gathers per wallet: typed arrays indexed by wallet number (about 170 bytes a wallet),
 * Float32 where a feature is a share or a log, Float64 for value totals; 9 bytes per address, 2 per transaction,
 * 16 per payment edge and 12 per receipt (for the median) until they are merged.
 */
export interface WalletTotals {
  index: WalletIndex;
  // counts
  txs: Uint32Array; timed: Uint32Array; gaps: Uint32Array; receipts: Uint32Array; round: Uint32Array; roundUsd: Uint32Array;
  spends: Uint32Array; consolidations: Uint32Array; batches: Uint32Array; peels: Uint32Array; selfChange: Uint32Array;
  changeToInput: Uint32Array; reused: Uint32Array; fresh: Uint32Array; coinjoins: Uint32Array; weekend: Uint32Array; addresses: Uint32Array;
  first: Int32Array; last: Int32Array;
  /** Bit k: it received an output of SCRIPT_TYPES[k]. */
  scripts: Uint16Array;
  peelMax: Uint16Array;
  // sums
  gapSum: Float32Array; gapSq: Float32Array; logSum: Float32Array; faninSum: Float32Array; fanoutSum: Float32Array;
  hourCos: Float32Array; hourSin: Float32Array; dayCos: Float32Array; daySin: Float32Array;
  received: Float64Array; sent: Float64Array; coinjoinValue: Float32Array; mixerValue: Float32Array; exchangeValue: Float32Array;
  fromIllicit: Float64Array; toService: Float64Array;
  medianReceipt: Float64Array;
  graph: WalletGraph;
}

function allocate(index: WalletIndex): Omit<WalletTotals, 'medianReceipt' | 'graph'> {
  const n = index.count;
  const u = () => new Uint32Array(n);
  const f = () => new Float32Array(n);
  const d = () => new Float64Array(n);
  return {
    index, txs: u(), timed: u(), gaps: u(), receipts: u(), round: u(), roundUsd: u(), spends: u(), consolidations: u(), batches: u(), peels: u(), selfChange: u(),
    changeToInput: u(), reused: u(), fresh: u(), coinjoins: u(), weekend: u(), addresses: u(),
    first: new Int32Array(n).fill(-1), last: new Int32Array(n).fill(-1), scripts: new Uint16Array(n), peelMax: new Uint16Array(n),
    gapSum: f(), gapSq: f(), logSum: f(), faninSum: f(), fanoutSum: f(), hourCos: f(), hourSin: f(), dayCos: f(), daySin: f(),
    received: d(), sent: d(), coinjoinValue: f(), mixerValue: f(), exchangeValue: f(), fromIllicit: d(), toService: d(),
  };
}

/**
 * Stream the chain once in stored order and total every wallet's activity, value, structure and payments.
 * @param coinjoin tx row ids a CoinJoin detector flagged (1)
 */
export function walletTotals(db: Db, chain: string, index: WalletIndex, coinjoin: Uint8Array): WalletTotals {
  const a = allocate(index);
  const { walletOf, labels } = index;
  const firstHeight = new Int32Array(walletOf.length).fill(-1);
  const seen = new Uint8Array(walletOf.length);
  const maxTx = db.prepare('SELECT coalesce(max(id), 0) FROM txs').pluck().get() as number;
  const peelLen = new Uint16Array(maxTx + 1);
  const prevTx = db.prepare('SELECT p.id FROM inputs i JOIN txs p ON p.chain = ? AND p.txid = i.prev_txid WHERE i.tx_id = ?').pluck();
  const edges = edgeBuffer();
  const medians = medianBuffer();
  const typeBit = new Map(SCRIPT_TYPES.map((t, k) => [t as string, 1 << k]));
  // Per transaction: its spending wallets with the value each put in, and its receiving wallets.
  const sW: number[] = [];
  const sIn: number[] = [];
  const touched: number[] = [];
  const walletAt = (address: number) => (address >= 0 ? walletOf[address] : -1);
  const addressSeen = (address: number, w: number) => {
    if (!seen[address]) {
      seen[address] = 1;
      a.addresses[w]++;
    }
  };
  for (const tx of idTransactions(db, chain)) {
    sW.length = sIn.length = touched.length = 0;
    let inTotal = 0;
    let inKnown = true;
    for (let k = 0; k < tx.inAddress.length; k++) {
      const w = walletAt(tx.inAddress[k]);
      if (w < 0) continue;
      addressSeen(tx.inAddress[k], w);
      const v = tx.inValue[k];
      if (v < 0) inKnown = false;
      else inTotal += v;
      const j = sW.indexOf(w);
      if (j < 0) {
        sW.push(w);
        sIn.push(Math.max(0, v));
      } else sIn[j] += Math.max(0, v);
    }
    for (const w of sW) touched.push(w);
    const outs = tx.outAddress.length;
    for (let k = 0; k < outs; k++) {
      const w = walletAt(tx.outAddress[k]);
      if (w >= 0 && !touched.includes(w)) touched.push(w);
    }
    const cj = coinjoin[tx.id] === 1;
    const when = timeOfWeek(tx.time);
    for (const w of touched) {
      a.txs[w]++;
      if (a.first[w] < 0) a.first[w] = tx.height;
      if (a.last[w] >= 0) {
        const g = tx.height - a.last[w];
        a.gaps[w]++;
        a.gapSum[w] += g;
        a.gapSq[w] += g * g;
      }
      a.last[w] = tx.height;
      if (cj) a.coinjoins[w]++;
      if (when) {
        a.timed[w]++;
        a.hourCos[w] += when.hourCos;
        a.hourSin[w] += when.hourSin;
        a.dayCos[w] += when.dayCos;
        a.daySin[w] += when.daySin;
        if (when.weekend) a.weekend[w]++;
      }
    }
    // Peel chains: a transaction of one input and two outputs continues the chain of the one it spends.
    const peel = tx.inAddress.length === 1 && outs === 2 && !tx.coinbase;
    if (peel) {
      const p = prevTx.get(chain, tx.id) as number | undefined;
      peelLen[tx.id] = Math.min(65_535, 1 + (p === undefined ? 0 : peelLen[p]));
    }
    const fromIllicit = sW.some((w) => labels[w] & ILLICIT);
    for (let j = 0; j < sW.length; j++) {
      const s = sW[j];
      a.spends[s]++;
      a.faninSum[s] += tx.inAddress.length;
      a.fanoutSum[s] += outs;
      if (tx.inAddress.length >= 3 && outs === 1) a.consolidations[s]++;
      if (outs >= 5) a.batches[s]++;
      a.sent[s] += sIn[j];
      if (cj) a.coinjoinValue[s] += sIn[j];
      let back = false;
      let toInput = false;
      for (let k = 0; k < outs; k++) {
        const r = walletAt(tx.outAddress[k]);
        if (r === s) {
          back = true;
          if (tx.inAddress.includes(tx.outAddress[k])) toInput = true;
        } else if (r >= 0 && labels[r] & SERVICE) a.toService[s] += tx.outValue[k];
      }
      if (back) a.selfChange[s]++;
      if (toInput) a.changeToInput[s]++;
      if (peel && back) a.peels[s]++;
      if (peel && peelLen[tx.id] > a.peelMax[s]) a.peelMax[s] = peelLen[tx.id];
    }
    const month = when ? btcUsdAt(tx.time) : null;
    for (let k = 0; k < outs; k++) {
      const address = tx.outAddress[k];
      const w = walletAt(address);
      if (w < 0) continue;
      addressSeen(address, w);
      const v = tx.outValue[k];
      a.received[w] += v;
      a.receipts[w]++;
      const lg = Math.log10(v + 1);
      a.logSum[w] += lg;
      medians.push(w, lg);
      a.scripts[w] |= typeBit.get(tx.outType[k]) ?? 0;
      if (v > 0 && v % 100_000 === 0) a.round[w]++;
      if (month !== null && isRoundUsd(v, month)) a.roundUsd[w]++;
      // The block an address first received in: a receipt after it is reuse, one in it is fresh.
      const first = firstHeight[address];
      if (first < 0) firstHeight[address] = tx.height;
      else a.reused[w]++;
      if (first < 0 || first === tx.height) a.fresh[w]++;
      if (cj) a.coinjoinValue[w] += v;
      if (fromIllicit && !sW.includes(w)) a.fromIllicit[w] += v;
      // Payments: each spending wallet pays its share of the inputs' value (equal shares when a value is unknown).
      if (tx.coinbase || cj) continue;
      for (let j = 0; j < sW.length; j++) {
        const s = sW[j];
        if (s === w) continue;
        const paid = inKnown && inTotal > 0 ? (v * sIn[j]) / inTotal : v / sW.length;
        edges.push(s, w, paid);
        // Value with a labelled counterparty: the payer's when the payee is labelled, the payee's when the payer is.
        if (labels[w] & MIXER) a.mixerValue[s] += paid;
        if (labels[s] & MIXER) a.mixerValue[w] += paid;
        if (labels[w] & EXCHANGE) a.exchangeValue[s] += paid;
        if (labels[s] & EXCHANGE) a.exchangeValue[w] += paid;
      }
    }
  }
  return { ...a, medianReceipt: medians.medians(index.count), graph: edges.compact(index.count) };
}
