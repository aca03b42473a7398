import { CtraceError } from '../../errors.js';

/** A holding of one asset at one address: lots in arrival order (fifo, lifo) or one mixed pot (haircut). */
export interface Lot {
  amount: bigint;
  taint: bigint;
  hop: number;
  /** The transfer that brought it: txid and transfer index. */
  via: { txid: string; vout: number } | null;
}

export type PotPolicy = 'fifo' | 'lifo' | 'haircut';

/** What leaving the pot took: its taint, the nearest hop among tainted lots, and the strongest carrier. */
export interface Taken {
  taint: bigint;
  hop: number;
  via: { txid: string; vout: number; amount: bigint } | null;
  /** Units taken beyond the known balance (history before the case): clean, unless the holder is a seed. */
  missing: bigint;
}

/**
 * Take `amount` from a holding under a policy. fifo takes the oldest lots first, lifo the newest; haircut takes
 * floor(T·a/B) of the pot's taint T for a units of its balance B (the holder keeps the remainder, so the pot never
 * holds more taint than value). Units beyond the balance are "missing": clean (from before the case).
 * @throws CtraceError TAINT_NOT_CONSERVED when a pot breaks its invariant (a bug)
 */
export function takeFromLots(lots: Lot[], amount: bigint, policy: PotPolicy): Taken {
  const out: Taken = { taint: 0n, hop: Infinity, via: null, missing: 0n };
  if (policy === 'haircut') {
    const balance = lots.reduce((s, l) => s + l.amount, 0n);
    const taint = lots.reduce((s, l) => s + l.taint, 0n);
    const a = amount > balance ? balance : amount;
    out.missing = amount - a;
    out.taint = balance === 0n ? 0n : (taint * a) / balance;
    const pot = lots.find((l) => l.taint > 0n);
    if (out.taint > 0n && pot) {
      out.hop = Math.min(...lots.filter((l) => l.taint > 0n).map((l) => l.hop));
      out.via = pot.via ? { ...pot.via, amount: out.taint } : null;
    }
    lots.length = 0;
    if (balance - a > 0n) lots.push({ amount: balance - a, taint: taint - out.taint, hop: pot?.hop ?? 0, via: pot?.via ?? null });
    check(lots);
    return out;
  }
  let left = amount;
  while (left > 0n && lots.length) {
    const lot = policy === 'fifo' ? lots[0] : lots[lots.length - 1];
    const a = lot.amount <= left ? lot.amount : left;
    // Lots are credited clean or wholly tainted, so part of a lot is exact; a mixed lot (never made under fifo or
    // lifo) would be cut pro rata, rounded down.
    const t = lot.amount === a ? lot.taint : (lot.taint * a) / lot.amount;
    if (t > 0n) {
      out.hop = Math.min(out.hop, lot.hop);
      if (lot.via && (out.via === null || t > out.via.amount)) out.via = { ...lot.via, amount: t };
    }
    out.taint += t;
    lot.amount -= a;
    lot.taint -= t;
    left -= a;
    if (lot.amount === 0n) (policy === 'fifo' ? lots.shift() : lots.pop());
  }
  out.missing = left;
  check(lots);
  return out;
}

/** Add a lot, merging it into the last one when both are clean. */
export function addLot(lots: Lot[], lot: Lot): void {
  if (lot.amount === 0n) return;
  const last = lots[lots.length - 1];
  if (last && last.taint === 0n && lot.taint === 0n) last.amount += lot.amount;
  else lots.push(lot);
}

function check(lots: Lot[]): void {
  for (const l of lots) {
    if (l.amount < 0n || l.taint < 0n || l.taint > l.amount) {
      throw new CtraceError('TAINT_NOT_CONSERVED', `taint not conserved in an account holding: ${l.taint} taint in ${l.amount} units (this is a bug, please report it)`);
    }
  }
}
