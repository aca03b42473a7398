import { CtraceError } from '../../errors.js';
import type { AccountTransaction } from '../../model/account.js';
import { type Lot, type PotPolicy, addLot, takeFromLots } from './account-pot.js';
import type { TaintStep, TaintedOutput, UtxoTaintRun } from './propagate-utxo.js';

export interface PropagateAccountTaintParams {
  policy: PotPolicy;
  /**
   * Seed addresses: everything they send is tainted. Seed transactions: everything they move is tainted. Seed
   * transfers: one movement wholly tainted, named by its transaction and `value`, `internal:<traceAddress>` or
   * `log:<logIndex>`.
   */
  seeds: { addresses?: readonly string[]; txids?: readonly string[]; transfers?: readonly { txid: string; ref: string }[] };
  /** Balances held before the first transaction (clean, first in every queue): a chain's genesis allocation. */
  opening?: readonly { address: string; asset: string; value: bigint }[];
  maxHops?: number;
  from?: number;
  to?: number;
  minAmount?: bigint;
  stopAt?: (holder: string) => boolean;
  /** Only these assets (`native`, token contracts); default all, each tracked apart. */
  assets?: readonly string[];
  /**
   * The holdings to start from, keyed `<asset>\u0000<holder>`, updated in place: a watch carries them from block to
   * block. Default: empty (every holding starts with nothing).
   */
  holdings?: Map<string, Lot[]>;
}

/** One value movement inside an account transaction, in execution order. */
export interface AccountMove {
  index: number;
  /** `value`, `internal:<traceAddress>` or `log:<logIndex>`. */
  ref: string;
  from: string;
  to: string;
  value: bigint;
  asset: string;
}

/**
 * Account-model taint (heuristics.md section 4): every address's holding of each asset (native coin, each token apart)
 * is a queue (fifo), a stack (lifo) or a mixed pot (haircut) of tainted and clean units; the fee, then the transaction's
 * value, its internal transfers in call order, its token transfers in log order and then its fee take from it, in time
 * order (the fee last: gas is settled when execution ends). A transfer's taint is credited to the receiver as one
 * tainted part placed before its clean part. Reverted transactions pay only their fee. Transfers are reported as
 * outputs (`vout` = the move's position in its transaction, `ref` its name) so that {@link summarizeTaint} applies.
 * Forward only.
 * @param txs account transactions in block order
 * @param params policy, seeds and bounds
 * @returns the walk, in the same shape as a UTXO walk
 * @throws CtraceError USAGE for a policy other than fifo, lifo, haircut; TAINT_NOT_CONSERVED (a bug)
 * @example propagateAccountTaint(txs, { policy: 'fifo', seeds: { addresses: [thief] } })
 */
export function propagateAccountTaint(txs: Iterable<AccountTransaction>, params: PropagateAccountTaintParams): UtxoTaintRun {
  if (!['fifo', 'lifo', 'haircut'].includes(params.policy)) {
    throw new CtraceError('USAGE', `account chains are traced with fifo, lifo or haircut, not ${params.policy}`);
  }
  const run: UtxoTaintRun = { policy: params.policy, policyVersion: 1, direction: 'forward', outputs: [], steps: [], skipped: [], seeded: 0n, dropped: 0n, fee: 0n };
  const holdings = params.holdings ?? new Map<string, Lot[]>();
  const seedAddr = new Set(params.seeds.addresses ?? []);
  const seedTx = new Set(params.seeds.txids ?? []);
  const lotsOf = (asset: string, holder: string) => {
    const k = `${asset}\u0000${holder}`;
    let l = holdings.get(k);
    if (!l) holdings.set(k, (l = []));
    return l;
  };
  for (const o of params.opening ?? []) addLot(lotsOf(o.asset, o.address), { amount: o.value, taint: 0n, hop: 0, via: null });
  const seedRefs = new Set((params.seeds.transfers ?? []).map((t) => `${t.txid} ${t.ref}`));
  const minAmount = params.minAmount ?? 1n;
  const maxHops = params.maxHops ?? Number.POSITIVE_INFINITY;
  for (const tx of txs) {
    const inWindow = (params.from === undefined || tx.blockTime >= params.from) && (params.to === undefined || tx.blockTime <= params.to);
    const step: TaintStep = { txid: tx.hash, height: tx.blockNumber, time: tx.blockTime, hop: Infinity, from: [], to: [], fee: 0n };
    for (const m of tx.status === 'success' ? accountMoves(tx) : []) {
      if (params.assets && !params.assets.includes(m.asset)) continue;
      const taken = take(lotsOf(m.asset, m.from), m.value, m.from, seedTx.has(tx.hash) || seedRefs.has(`${tx.hash} ${m.ref}`));
      let taint = taken.taint;
      if (taint > 0n && !inWindow) {
        run.dropped += taint;
        if (!run.skipped.some((s) => s.txid === tx.hash)) run.skipped.push({ txid: tx.hash, reason: 'outside the time window' });
        taint = 0n;
      }
      const hop = taint === 0n ? 0 : taken.hop + 1;
      const o: TaintedOutput = { txid: tx.hash, vout: m.index, holder: m.to, value: m.value, taint, hop, height: tx.blockNumber, time: tx.blockTime, via: taken.via, next: null, stopped: null, asset: m.asset, ref: m.ref };
      let follow = taint > 0n;
      if (taint > 0n && taint < minAmount) {
        run.dropped += taint;
        follow = false;
      } else if (taint > 0n) {
        if (!seedAddr.has(m.to) && params.stopAt?.(m.to)) o.stopped = 'label';
        else if (hop >= maxHops) o.stopped = 'hops';
        follow = o.stopped === null;
        run.outputs.push(o);
        step.to.push({ txid: tx.hash, vout: m.index, holder: m.to, value: m.value, taint });
        step.from.push({ txid: taken.via?.txid ?? tx.hash, vout: taken.via?.vout ?? -1, holder: m.from, taint });
        step.hop = Math.min(step.hop, hop);
      }
      const lots = lotsOf(m.asset, m.to);
      if (follow) addLot(lots, { amount: taint, taint, hop, via: { txid: tx.hash, vout: m.index } });
      addLot(lots, { amount: follow ? m.value - taint : m.value, taint: 0n, hop: 0, via: null });
    }
    const feeTaken = take(lotsOf('native', tx.from), tx.fee, tx.from);
    step.fee = feeTaken.taint;
    if (feeTaken.taint > 0n) step.from.push({ txid: tx.hash, vout: -1, holder: tx.from, taint: feeTaken.taint });
    run.fee += step.fee;
    if (step.to.length || step.fee > 0n) run.steps.push({ ...step, hop: Number.isFinite(step.hop) ? step.hop : 1 });
  }
  return run;

  function take(lots: Lot[], amount: bigint, holder: string, wholeTx = false) {
    if (seedAddr.has(holder) || wholeTx) {
      // A seed's (or a seed transaction's) units are all tainted, whatever the case knows of their history.
      takeFromLots(lots, amount, params.policy);
      run.seeded += amount;
      return { taint: amount, hop: 0, via: null, missing: 0n };
    }
    return takeFromLots(lots, amount, params.policy);
  }
}

/**
 * The value movements of a successful account transaction, in execution order: its value, its internal transfers
 * in call order (not the top call, which repeats the value), its token transfers in log order.
 * @example accountMoves(tx).filter((m) => m.from === watched)
 */
export function accountMoves(tx: AccountTransaction): AccountMove[] {
  const moves: AccountMove[] = [];
  const add = (ref: string, from: string, to: string | null, value: bigint, asset: string) => {
    if (to !== null && value > 0n) moves.push({ index: moves.length, ref, from, to, value, asset });
  };
  add('value', tx.from, tx.to ?? tx.contractAddress, tx.value, 'native');
  // A trace's top call (traceAddress "") repeats the transaction's own value.
  for (const t of tx.internalTransfers) if (t.traceAddress !== '') add(`internal:${t.traceAddress}`, t.from, t.to, t.value, 'native');
  for (const t of [...tx.tokenTransfers].sort((a, b) => a.logIndex - b.logIndex)) add(`log:${t.logIndex}`, t.from, t.to, t.value, t.token);
  return moves;
}
