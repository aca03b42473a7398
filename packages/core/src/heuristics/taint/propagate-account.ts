import { CtraceError } from '../../errors.js';
import type { AccountTransaction } from '../../model/account.js';
import { type Lot, type PotPolicy, addLot, takeFromLots } from './account-pot.js';
import type { TaintStep, TaintedOutput, UtxoTaintRun } from './propagate-utxo.js';

export interface PropagateAccountTaintParams {
  policy: PotPolicy;
  /** Seed addresses: everything they send is tainted. Seed transactions: everything they move is tainted. */
  seeds: { addresses?: readonly string[]; txids?: readonly string[] };
  maxHops?: number;
  from?: number;
  to?: number;
  minAmount?: bigint;
  stopAt?: (holder: string) => boolean;
  /** Only these assets (`native`, token contracts); default all, each tracked apart. */
  assets?: readonly string[];
}

/** One value movement inside an account transaction, in execution order. */
interface Move {
  index: number;
  from: string;
  to: string;
  value: bigint;
  asset: string;
}

/**
 * Account-model taint (heuristics.md section 4): every address's holding of each asset (native coin, each token apart)
 * is a queue (fifo), a stack (lifo) or a mixed pot (haircut) of tainted and clean units; the fee, then the transaction's
 * value, its internal transfers in call order and its token transfers in log order take from it, in time order.
 * Reverted transactions pay only their fee. Transfers are reported as outputs (`vout` = the move's index in its
 * transaction: 0 the value, then internal transfers, then token transfers) so that {@link summarizeTaint} applies.
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
  const run: UtxoTaintRun = { policy: params.policy, policyVersion: 1, direction: 'forward', outputs: [], steps: [], skipped: [], seeded: 0n, dropped: 0n };
  const holdings = new Map<string, Lot[]>();
  const seedAddr = new Set(params.seeds.addresses ?? []);
  const seedTx = new Set(params.seeds.txids ?? []);
  const lotsOf = (asset: string, holder: string) => {
    const k = `${asset}\u0000${holder}`;
    let l = holdings.get(k);
    if (!l) holdings.set(k, (l = []));
    return l;
  };
  const minAmount = params.minAmount ?? 1n;
  const maxHops = params.maxHops ?? Number.POSITIVE_INFINITY;
  for (const tx of txs) {
    const inWindow = (params.from === undefined || tx.blockTime >= params.from) && (params.to === undefined || tx.blockTime <= params.to);
    const step: TaintStep = { txid: tx.hash, height: tx.blockNumber, time: tx.blockTime, hop: Infinity, from: [], to: [], fee: 0n };
    const feeTaken = take(lotsOf('native', tx.from), tx.fee, tx.from);
    step.fee = feeTaken.taint;
    if (feeTaken.taint > 0n) step.from.push({ txid: tx.hash, vout: -1, holder: tx.from, taint: feeTaken.taint });
    for (const m of tx.status === 'success' ? movesOf(tx) : []) {
      if (params.assets && !params.assets.includes(m.asset)) continue;
      const taken = take(lotsOf(m.asset, m.from), m.value, m.from, seedTx.has(tx.hash));
      let taint = taken.taint;
      if (taint > 0n && !inWindow) {
        for (const piece of taken.pieces) piece.taint = 0n;
        run.dropped += taint;
        if (!run.skipped.some((s) => s.txid === tx.hash)) run.skipped.push({ txid: tx.hash, reason: 'outside the time window' });
        taint = 0n;
      }
      const hop = taint === 0n ? 0 : taken.hop + 1;
      const o: TaintedOutput = { txid: tx.hash, vout: m.index, holder: m.to, value: m.value, taint, hop, height: tx.blockNumber, time: tx.blockTime, via: taken.via, next: null, stopped: null, asset: m.asset };
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
      // The receiver gets the pieces in the order they were taken, so fifo and lifo stay exact downstream.
      const lots = lotsOf(m.asset, m.to);
      for (const piece of taken.pieces) {
        const t = follow ? piece.taint : 0n;
        addLot(lots, { amount: piece.amount, taint: t, hop: t > 0n ? piece.hop + 1 : 0, via: { txid: tx.hash, vout: m.index } });
      }
    }
    if (step.to.length || step.fee > 0n) run.steps.push({ ...step, hop: Number.isFinite(step.hop) ? step.hop : 1 });
  }
  return run;

  function take(lots: Lot[], amount: bigint, holder: string, wholeTx = false) {
    if (seedAddr.has(holder) || wholeTx) {
      // A seed's (or a seed transaction's) units are all tainted, whatever the case knows of their history.
      takeFromLots(lots, amount, params.policy);
      run.seeded += amount;
      return { taint: amount, hop: 0, via: null, missing: 0n, pieces: [{ amount, taint: amount, hop: 0 }] };
    }
    return takeFromLots(lots, amount, params.policy);
  }
}

function movesOf(tx: AccountTransaction): Move[] {
  const moves: Move[] = [];
  const add = (from: string, to: string | null, value: bigint, asset: string) => {
    const index = moves.length;
    if (to !== null && value > 0n) moves.push({ index, from, to, value, asset });
  };
  add(tx.from, tx.to ?? tx.contractAddress, tx.value, 'native');
  for (const t of tx.internalTransfers) if (t.traceAddress !== '') add(t.from, t.to, t.value, 'native');
  for (const t of [...tx.tokenTransfers].sort((a, b) => a.logIndex - b.logIndex)) add(t.from, t.to, t.value, t.token);
  return moves;
}
