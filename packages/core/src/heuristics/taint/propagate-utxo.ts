import { PriorityQueue } from '@datastructures-js/priority-queue';
import { CtraceError } from '../../errors.js';
import { holderOf, type UtxoTransaction } from '../../model/utxo.js';
import { checkConservation } from './conservation.js';
import { getTaintPolicy } from './policies.js';
import type { Span, TaintDirection, TaintPart, TaintPolicyId, TaintTxResult } from './types.js';

/** Where taint starts: whole addresses, whole transactions, or single outputs (optionally only their first units). */
export interface TaintSeeds {
  addresses?: readonly string[];
  txids?: readonly string[];
  outpoints?: readonly { txid: string; vout: number; amount?: bigint }[];
}

export interface PropagateUtxoTaintParams {
  policy: TaintPolicyId;
  /** forward (default): where did it go; backward: where did it come from. */
  direction?: TaintDirection;
  seeds: TaintSeeds;
  /** Transactions to follow from a seed (default: no limit). */
  maxHops?: number;
  /** Follow only transactions whose block time (unix seconds) is within [from, to]. */
  from?: number;
  to?: number;
  /** Taint below this (base units) on an output is dropped, not followed (default 1: everything). */
  minAmount?: bigint;
  /** Holders where the walk stops: their taint is recorded but not followed (labelled services, say). */
  stopAt?: (holder: string) => boolean;
  /**
   * Keep every step (default true). False: no step is kept, only their fee total (`fee`): the outputs carry the
   * evidence a summary needs, and a walk over 10^6 transactions takes 10^5 steps.
   */
  keepSteps?: boolean;
}

/** An output that carries taint (backward: an earlier output that paid for the seeds), with its evidence. */
export interface TaintedOutput {
  txid: string;
  /** -1 for newly minted coins (a coinbase input, walking backward). */
  vout: number;
  holder: string | null;
  value: bigint;
  taint: bigint;
  spans?: Span[];
  /** 0 for a seed, else the number of transactions from the nearest seed. */
  hop: number;
  height: number | null;
  time: number | null;
  /** The tainted output that carried the most of this taint here, and how much (null for a seed). */
  via: { txid: string; vout: number; amount: bigint } | null;
  /** The transaction that moved it on (forward: spent it; backward: created it). */
  next: string | null;
  /** True when the walk stopped here (a stop holder, the hop limit). */
  stopped: 'label' | 'hops' | null;
  /** Account chains: `native` or the token contract (UTXO outputs leave it out: always the native coin). */
  asset?: string;
  /** Account chains: the transfer's name in its transaction: `value`, `internal:<traceAddress>`, `log:<logIndex>`. */
  ref?: string;
}

/** One transaction the walk went through, with the amounts in and out: the evidence of a hop. */
export interface TaintStep {
  txid: string;
  height: number | null;
  time: number | null;
  hop: number;
  /** Tainted sources of the step (forward: spent outputs; backward: the step's wanted outputs). */
  from: { txid: string; vout: number; holder: string | null; taint: bigint }[];
  /** Where the taint went (forward: outputs; backward: the spent outputs, -1 vout for a coinbase). */
  to: { txid: string; vout: number; holder: string | null; value: bigint; taint: bigint }[];
  /** Taint that went to the fee. */
  fee: bigint;
}

export interface UtxoTaintRun {
  policy: TaintPolicyId;
  policyVersion: number;
  direction: TaintDirection;
  outputs: TaintedOutput[];
  steps: TaintStep[];
  /** Transactions the walk could not go through, and why (an unresolved input, a time window). */
  skipped: { txid: string; reason: string }[];
  /** Taint seeded, and taint dropped under minAmount. */
  seeded: bigint;
  dropped: bigint;
  /** Taint that went to fees on the way (the steps' fees). */
  fee: bigint;
}

const keyOf = (txid: string, vout: number) => `${txid}:${vout}`;

/** A transaction the walk may read: `order` is its place in the walk (ascending), `load` reads it. */
export interface CaseTx {
  /** Compared element by element: forward, block order (height, position, row); backward, the reverse. */
  order: readonly number[];
  load(): UtxoTransaction;
}

/**
 * Where the case-bounded walk reads transactions: only those that hold a seed, spend a tainted output (forward) or
 * created one (backward); never the chain.
 */
export interface UtxoCaseSource {
  /** The transactions holding the seeds: the seed transactions, the outpoints' transactions, those paying a seed address. */
  seedTransactions(seeds: TaintSeeds): Iterable<CaseTx>;
  /** forward: the transactions spending txid:vout; backward: the transaction with that txid (which created it). */
  next(txid: string, vout: number): Iterable<CaseTx>;
}

/**
 * Propagate taint through UTXO transactions with one policy of heuristics.md section 4, checking conservation on every
 * transaction. The walk is case-bounded: it starts from the seeds' transactions and reads only the transactions that
 * spend a tainted output (forward) or created one (backward), in walk order from a priority queue keyed by their place
 * in the chain. Every tainted input of a transaction comes from an earlier one, so when a transaction is taken all its
 * tainted inputs are known; the policies need nothing else but the transaction's own input values. Memory and time grow
 * with the case, never with the chain.
 * @param source a store-backed {@link UtxoCaseSource}, or the transactions in the walk's order (block order forward,
 *   reverse block order backward; indexed in memory: for tests and small inputs)
 * @param params policy, direction, seeds and bounds
 * @returns every tainted output with its hop and evidence, and every step
 * @throws CtraceError TAINT_NOT_CONSERVED (a bug), USAGE (tiho backward)
 * @example propagateUtxoTaint(utxoCaseSource(store.db, 'bitcoin'), { policy: 'fifo', seeds: { txids: [txid] } })
 */
export function propagateUtxoTaint(source: UtxoCaseSource | Iterable<UtxoTransaction>, params: PropagateUtxoTaintParams): UtxoTaintRun {
  const policy = getTaintPolicy(params.policy);
  const direction = params.direction ?? 'forward';
  if (direction === 'backward' && !policy.backward) {
    throw new CtraceError('USAGE', `the ${policy.id} policy only walks forward: use fifo, lifo, haircut or poison with --direction in`);
  }
  const src = isCaseSource(source) ? source : memoryCaseSource(source, direction);
  const run: UtxoTaintRun = { policy: policy.id, policyVersion: policy.version, direction, outputs: [], steps: [], skipped: [], seeded: 0n, dropped: 0n, fee: 0n };
  const queue = new PriorityQueue<CaseTx>((a, b) => cmpOrder(a.order, b.order));
  const queued = new Set<string>();
  let current: readonly number[] | null = null;
  const enqueue = (txs: Iterable<CaseTx>) => {
    for (const t of txs) {
      const k = t.order.join(',');
      // A transaction at or before the one being walked was passed already (only malformed data links backwards).
      if (queued.has(k) || (current !== null && cmpOrder(t.order, current) <= 0)) continue;
      queued.add(k);
      queue.enqueue(t);
    }
  };
  const follow = (o: TaintedOutput) => enqueue(src.next(o.txid, o.vout));
  const walker: Walker = { run, params, policy, live: new Map<string, TaintedOutput>(), seedTx: new Set(params.seeds.txids ?? []), seedAddr: new Set(params.seeds.addresses ?? []), follow };
  for (const o of params.seeds.outpoints ?? []) walker.live.set(keyOf(o.txid, o.vout), pendingSeed(o));
  enqueue(src.seedTransactions(params.seeds));
  for (let t = queue.dequeue(); t !== null; t = queue.dequeue()) {
    current = t.order;
    (direction === 'forward' ? forwardTx : backwardTx)(walker, t.load());
  }
  return run;
}

/** Compare two walk-order keys element by element. */
export function cmpOrder(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length && k < b.length; k++) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return a.length - b.length;
}

function isCaseSource(s: UtxoCaseSource | Iterable<UtxoTransaction>): s is UtxoCaseSource {
  return typeof (s as UtxoCaseSource).seedTransactions === 'function';
}

/**
 * A case source over transactions held in memory, in the walk's order (tests, small inputs): indexed by txid, by the
 * outputs they spend and by the holders they pay.
 * @example propagateUtxoTaint(memoryCaseSource(txs, 'forward'), params)
 */
export function memoryCaseSource(txs: Iterable<UtxoTransaction>, direction: TaintDirection): UtxoCaseSource {
  const list = [...txs];
  const at = (k: number): CaseTx => ({ order: [k], load: () => list[k] });
  const byTxid = new Map<string, number[]>();
  const spenders = new Map<string, number[]>();
  const payers = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, key: string, k: number) => {
    const l = m.get(key);
    if (!l) m.set(key, [k]);
    else if (l[l.length - 1] !== k) l.push(k);
  };
  list.forEach((tx, k) => {
    add(byTxid, tx.txid, k);
    for (const i of tx.inputs) if (!i.coinbase) add(spenders, keyOf(i.prevTxid, i.prevVout), k);
    for (const o of tx.outputs) {
      const h = holderOf(o);
      if (h !== null) add(payers, h, k);
    }
  });
  const refs = (ks: readonly number[] | undefined) => (ks ?? []).map(at);
  return {
    seedTransactions: (seeds) => [
      ...[...(seeds.txids ?? []), ...(seeds.outpoints ?? []).map((o) => o.txid)].flatMap((t) => refs(byTxid.get(t))),
      ...(seeds.addresses ?? []).flatMap((a) => refs(payers.get(a))),
    ],
    next: (txid, vout) => refs(direction === 'forward' ? spenders.get(keyOf(txid, vout)) : byTxid.get(txid)),
  };
}

type Walker = {
  run: UtxoTaintRun;
  params: PropagateUtxoTaintParams;
  policy: ReturnType<typeof getTaintPolicy>;
  live: Map<string, TaintedOutput>;
  seedTx: Set<string>;
  seedAddr: Set<string>;
  /** Queue the transactions that take this (now live) output on. */
  follow: (o: TaintedOutput) => void;
};

/** An outpoint seed waits, value unknown, until its transaction comes by. */
function pendingSeed(o: { txid: string; vout: number; amount?: bigint }): TaintedOutput {
  return { txid: o.txid, vout: o.vout, holder: null, value: -1n, taint: o.amount ?? -1n, hop: 0, height: null, time: null, via: null, next: null, stopped: null };
}

function inWindow(p: PropagateUtxoTaintParams, time: number | null): boolean {
  if (p.from === undefined && p.to === undefined) return true;
  if (time === null) return false;
  return (p.from === undefined || time >= p.from) && (p.to === undefined || time <= p.to);
}

function record(w: Walker, o: TaintedOutput, follow: boolean): void {
  const minAmount = w.params.minAmount ?? 1n;
  if (o.taint < minAmount) {
    w.run.dropped += o.taint;
    return;
  }
  const isSeedHolder = o.holder !== null && w.seedAddr.has(o.holder);
  if (o.hop > 0 && o.holder !== null && !isSeedHolder && w.params.stopAt?.(o.holder)) o.stopped = 'label';
  else if (o.hop >= (w.params.maxHops ?? Number.POSITIVE_INFINITY)) o.stopped = 'hops';
  w.run.outputs.push(o);
  if (follow && o.stopped === null) {
    w.live.set(keyOf(o.txid, o.vout), o);
    w.follow(o);
  }
}

function forwardTx(w: Walker, tx: UtxoTransaction): void {
  const time = tx.block?.time ?? null;
  const height = tx.block?.height ?? null;
  const seeded = new Set<number>();
  tx.outputs.forEach((out, vout) => {
    const holder = holderOf(out);
    const pending = w.live.get(keyOf(tx.txid, vout));
    const whole = w.seedTx.has(tx.txid) || (holder !== null && w.seedAddr.has(holder));
    if (!whole && !(pending && pending.value < 0n)) return;
    const amount = whole || pending!.taint < 0n ? out.value : pending!.taint > out.value ? out.value : pending!.taint;
    w.live.delete(keyOf(tx.txid, vout));
    seeded.add(vout);
    w.run.seeded += amount;
    record(w, { txid: tx.txid, vout, holder, value: out.value, taint: amount, spans: amount > 0n ? [[0n, amount]] : [], hop: 0, height, time, via: null, next: null, stopped: null }, true);
  });
  const spent = tx.inputs.map((i) => (i.coinbase ? undefined : w.live.get(keyOf(i.prevTxid, i.prevVout))));
  if (!spent.some((s) => s && s.value >= 0n)) return;
  if (!inWindow(w.params, time)) return void w.run.skipped.push({ txid: tx.txid, reason: 'outside the time window' });
  if (tx.inputs.some((i, k) => !spent[k] && !i.coinbase && i.value === null)) {
    return void w.run.skipped.push({ txid: tx.txid, reason: 'an input is unresolved (its value is unknown): ingest the transaction it spends' });
  }
  const parts: TaintPart[] = tx.inputs.map((i, k) => spent[k] ? { value: spent[k]!.value, taint: spent[k]!.taint, spans: spent[k]!.spans } : { value: i.value ?? 0n, taint: 0n });
  const values = tx.outputs.map((o) => o.value);
  const fee = parts.reduce((s, p) => s + p.value, 0n) - values.reduce((s, v) => s + v, 0n);
  if (fee < 0n) return void w.run.skipped.push({ txid: tx.txid, reason: 'outputs exceed inputs' });
  const txIn = { inputs: parts, outputs: values, fee };
  const result = w.policy.apply(txIn);
  checkConservation(w.policy, tx.txid, txIn, result);
  const hop = 1 + Math.min(...spent.filter((s): s is TaintedOutput => s !== undefined && s.value >= 0n).map((s) => s.hop));
  const keep = w.params.keepSteps ?? true;
  const step: TaintStep = { txid: tx.txid, height, time, hop, from: [], to: [], fee: result.fee.taint };
  w.run.fee += result.fee.taint;
  spent.forEach((s) => {
    if (!s || s.value < 0n) return;
    s.next = tx.txid;
    w.live.delete(keyOf(s.txid, s.vout));
    if (keep) step.from.push({ txid: s.txid, vout: s.vout, holder: s.holder, taint: s.taint });
  });
  result.outputs.forEach((share, vout) => {
    if (share.taint === 0n || seeded.has(vout)) return;
    const out = tx.outputs[vout];
    if (keep) step.to.push({ txid: tx.txid, vout, holder: holderOf(out), value: out.value, taint: share.taint });
    record(w, { txid: tx.txid, vout, holder: holderOf(out), value: out.value, taint: share.taint, spans: share.spans, hop, height, time, via: strongest(result, vout, spent), next: null, stopped: null }, true);
  });
  if (keep) w.run.steps.push(step);
}

/** The input that carried the most taint into `vout` (the earlier one on a tie): the path evidence. */
function strongest(result: TaintTxResult, vout: number, sources: (TaintedOutput | undefined)[]): TaintedOutput['via'] {
  let best: { input: number; amount: bigint } | null = null;
  for (const f of result.flows) if (f.output === vout && (best === null || f.amount > best.amount)) best = f;
  const s = best ? sources[best.input] : undefined;
  return s && best ? { txid: s.txid, vout: s.vout, amount: best.amount } : null;
}

function backwardTx(w: Walker, tx: UtxoTransaction): void {
  const time = tx.block?.time ?? null;
  const height = tx.block?.height ?? null;
  const wanted = tx.outputs.map((out, vout): TaintedOutput | undefined => {
    const holder = holderOf(out);
    const pending = w.live.get(keyOf(tx.txid, vout));
    if (pending && pending.value >= 0n) {
      pending.height = height;
      pending.time = time;
      return pending;
    }
    const whole = w.seedTx.has(tx.txid) || (holder !== null && w.seedAddr.has(holder));
    if (!whole && !pending) return undefined;
    const amount = whole || pending!.taint < 0n || pending!.taint > out.value ? out.value : pending!.taint;
    w.run.seeded += amount;
    const seed: TaintedOutput = { txid: tx.txid, vout, holder, value: out.value, taint: amount, spans: amount > 0n ? [[0n, amount]] : [], hop: 0, height, time, via: null, next: null, stopped: null };
    w.run.outputs.push(seed);
    return seed;
  });
  if (!wanted.some(Boolean)) return;
  for (const o of wanted) if (o) w.live.delete(keyOf(o.txid, o.vout));
  const hop = 1 + Math.min(...wanted.filter((o): o is TaintedOutput => o !== undefined).map((o) => o.hop));
  if (!inWindow(w.params, time)) return void w.run.skipped.push({ txid: tx.txid, reason: 'outside the time window' });
  const coinbase = tx.inputs.length === 1 && tx.inputs[0].coinbase;
  if (!coinbase && tx.inputs.some((i) => i.value === null)) {
    return void w.run.skipped.push({ txid: tx.txid, reason: 'an input is unresolved (its value is unknown): ingest the transaction it spends' });
  }
  const outTotal = tx.outputs.reduce((s, o) => s + o.value, 0n);
  const inValues = coinbase ? [outTotal] : tx.inputs.map((i) => i.value ?? 0n);
  const fee = coinbase ? 0n : inValues.reduce((s, v) => s + v, 0n) - outTotal;
  if (fee < 0n) return void w.run.skipped.push({ txid: tx.txid, reason: 'outputs exceed inputs' });
  // Backward, the outputs (then the fee) are the sources and the inputs the destinations.
  const parts: TaintPart[] = [...tx.outputs.map((o, v) => ({ value: o.value, taint: wanted[v]?.taint ?? 0n, spans: wanted[v]?.spans })), { value: fee, taint: 0n }];
  const txIn = { inputs: parts, outputs: inValues, fee: 0n };
  const result = w.policy.apply(txIn, { direction: 'backward' });
  checkConservation(w.policy, tx.txid, txIn, result);
  const keep = w.params.keepSteps ?? true;
  const step: TaintStep = { txid: tx.txid, height, time, hop, from: [], to: [], fee: 0n };
  if (keep) for (const o of wanted) if (o) step.from.push({ txid: o.txid, vout: o.vout, holder: o.holder, taint: o.taint });
  result.outputs.forEach((share, k) => {
    if (share.taint === 0n) return;
    const input = tx.inputs[k];
    const src = coinbase
      ? { txid: tx.txid, vout: -1, holder: null }
      : { txid: input.prevTxid, vout: input.prevVout, holder: holderOf(input) };
    if (keep) step.to.push({ ...src, value: inValues[k], taint: share.taint });
    let via: TaintedOutput['via'] = null;
    for (const f of result.flows) if (f.output === k && (via === null || f.amount > via.amount)) via = { txid: tx.txid, vout: f.input, amount: f.amount };
    // vout -1 (a coinbase) has no earlier transaction to reach, so it is recorded but never followed.
    record(w, { ...src, value: inValues[k], taint: share.taint, spans: share.spans, hop, height: null, time: null, via, next: tx.txid, stopped: null }, !coinbase);
  });
  if (keep) w.run.steps.push(step);
}
