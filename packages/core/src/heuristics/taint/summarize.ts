import type { TaintDirection, TaintPolicyId } from './types.js';
import type { TaintedOutput, UtxoTaintRun } from './propagate-utxo.js';

/** One hop of a path: the output that carried the taint and how much of it this path carried. */
export interface TaintPathHop {
  txid: string;
  vout: number;
  holder: string | null;
  amount: bigint;
}

/** A path from a seed to an output: the evidence of how the taint got there (strongest carrier at each hop). */
export interface TaintPath {
  amount: bigint;
  hops: TaintPathHop[];
}

/** The taint an address (or a cluster) received: amount, share of what it received, nearest hop and top paths. */
export interface HolderTaint {
  /** An address, or `cluster:<id>` for a cluster. */
  holder: string;
  cluster: string | null;
  /** The asset (`native`, or a token contract on account chains): amounts of different assets are never added. */
  asset: string;
  taint: bigint;
  /** What the holder received in all (from the store), or, when unknown, the value of the tainted outputs. */
  received: bigint;
  /** taint / received, 6 decimals, rounded down. */
  share: string;
  minHop: number;
  outputs: number;
  /** True when the walk stopped at this holder (a label, the hop limit). */
  stopped: boolean;
  /** The top paths, made from the walk each time they are read (not held per holder). */
  readonly paths: TaintPath[];
}

export interface TaintSummary {
  policy: TaintPolicyId;
  policyVersion: number;
  direction: TaintDirection;
  seeded: bigint;
  /** Taint that went to fees on the way. */
  fee: bigint;
  dropped: bigint;
  outputs: (Omit<TaintedOutput, 'spans'> & { share: string })[];
  addresses: HolderTaint[];
  clusters: HolderTaint[];
  skipped: UtxoTaintRun['skipped'];
}

export interface SummarizeTaintParams {
  /** What a holder received in all; absent: the value of its tainted outputs. */
  receivedOf?: (holder: string) => bigint | null;
  /** The cluster of a holder, when clusters exist. */
  clusterOf?: (holder: string) => string | null;
  /** Paths kept per holder (default 3). */
  topPaths?: number;
  /** Told every holder first, so that a store can read their totals and clusters in a few reads, not one per holder. */
  prefetch?: (holders: readonly string[]) => void;
}

/**
 * Per output, per address and per cluster: the tainted amount, its share and the top paths that carried it.
 * Seeds (hop 0) are outputs of the result but not counted as received by their holders.
 * @param run a taint walk
 * @param params where totals received and clusters come from
 * @returns the summary, sorted by taint (descending), then id
 * @example summarizeTaint(run, { receivedOf: (a) => received(a) }).addresses[0]
 */
export function summarizeTaint(run: UtxoTaintRun, { receivedOf, clusterOf, topPaths = 3, prefetch }: SummarizeTaintParams = {}): TaintSummary {
  // Each output's outpoint as a number (the same outpoint, the same number), and the output its `via` names (the last
  // output of that outpoint; -1: none): the paths are walked on numbers, made only when read.
  const outs = run.outputs;
  const keyId = new Int32Array(outs.length);
  const parent = new Int32Array(outs.length).fill(-1);
  {
    const ids = new Map<string, number>();
    const last: number[] = [];
    outs.forEach((o, k) => {
      const key = `${o.txid}:${o.vout}`;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      keyId[k] = id;
      last[id] = k;
    });
    outs.forEach((o, k) => {
      const id = o.via ? ids.get(`${o.via.txid}:${o.via.vout}`) : undefined;
      if (id !== undefined) parent[k] = last[id];
    });
  }
  const pathOf = (at: number): TaintPath => {
    const o = outs[at];
    const hops: TaintPathHop[] = [];
    let k = at;
    let amount = o.taint;
    const seen = new Set<number>();
    while (k >= 0 && !seen.has(keyId[k])) {
      const cur = outs[k];
      seen.add(keyId[k]);
      hops.push({ txid: cur.txid, vout: cur.vout, holder: cur.holder, amount });
      if (!cur.via) break;
      amount = cur.via.amount < amount ? cur.via.amount : amount;
      k = parent[k];
    }
    hops.reverse();
    return { amount: hops.reduce((m, h) => (h.amount < m ? h.amount : m), o.taint), hops };
  };
  prefetch?.([...new Set(outs.filter((o) => o.hop > 0 && o.holder !== null).map((o) => o.holder!))]);
  // Groups of outputs by their place in `outs`.
  const groups = new Map<string, number[]>();
  const clusterGroups = new Map<string, number[]>();
  outs.forEach((o, k) => {
    if (o.hop === 0 || o.holder === null) return;
    const asset = o.asset ?? 'native';
    push(groups, `${asset}\u0000${o.holder}`, k);
    const c = clusterOf?.(o.holder) ?? null;
    if (c) push(clusterGroups, `${asset}\u0000${c}`, k);
  });
  const holderTaint = (key: string, group: number[], cluster: string | null, received: bigint | null): HolderTaint => {
    const [asset, holder] = key.split('\u0000');
    const mine = group.map((k) => outs[k]);
    const taint = mine.reduce((s, o) => s + o.taint, 0n);
    const total = received ?? mine.reduce((s, o) => s + o.value, 0n);
    const top = [...group].sort((x, y) => cmpBig(outs[y].taint, outs[x].taint) || cmpStr(outs[x].txid, outs[y].txid) || outs[x].vout - outs[y].vout).slice(0, topPaths);
    const minHop = mine.reduce((m, o) => (o.hop < m ? o.hop : m), Number.POSITIVE_INFINITY);
    return new HolderRow(holder, cluster, asset, taint, total, shareText(taint, total), minHop, mine.length, mine.some((o) => o.stopped !== null), top, pathOf);
  };
  // What a holder received in all is known for the native coin only; token shares use the tainted transfers' value.
  const total = (asset: string, h: string) => (asset === 'native' ? receivedOf?.(h) ?? null : null);
  const addresses = [...groups].map(([k, group]) => {
    const [asset, h] = k.split('\u0000');
    return holderTaint(k, group, clusterOf?.(h) ?? null, total(asset, h));
  });
  const clusters = [...clusterGroups].map(([k, group]) => {
    const asset = k.split('\u0000')[0];
    const members = [...new Set(group.map((at) => outs[at].holder!))];
    const received = receivedOf && asset === 'native' ? members.reduce((s, m) => s + (receivedOf(m) ?? 0n), 0n) : null;
    return holderTaint(k, group, k.split('\u0000')[1], received);
  });
  const order = (a: HolderTaint, b: HolderTaint) => cmpBig(b.taint, a.taint) || cmpStr(a.holder, b.holder) || cmpStr(a.asset, b.asset);
  return {
    policy: run.policy,
    policyVersion: run.policyVersion,
    direction: run.direction,
    seeded: run.seeded,
    fee: run.fee,
    dropped: run.dropped,
    outputs: run.outputs.map(withShare),
    addresses: addresses.sort(order),
    clusters: clusters.sort(order),
    skipped: run.skipped,
  };
}

/**
 * A holder's row: plain fields, and its top paths made from the walk each time they are read (printed, say), not kept:
 * a walk over 10^6 transactions reaches 10^5 holders. As JSON, the fields then `paths`.
 */
class HolderRow implements HolderTaint {
  readonly #top: number[];
  readonly #pathOf: (at: number) => TaintPath;
  constructor(
    readonly holder: string, readonly cluster: string | null, readonly asset: string, readonly taint: bigint, readonly received: bigint, readonly share: string,
    readonly minHop: number, readonly outputs: number, readonly stopped: boolean, top: number[], pathOf: (at: number) => TaintPath,
  ) {
    this.#top = top;
    this.#pathOf = pathOf;
  }
  get paths(): TaintPath[] {
    return this.#top.map(this.#pathOf);
  }
  toJSON(): Omit<HolderTaint, 'paths'> & { paths: TaintPath[] } {
    const { holder, cluster, asset, taint, received, share, minHop, outputs, stopped } = this;
    return { holder, cluster, asset, taint, received, share, minHop, outputs, stopped, paths: this.paths };
  }
}

/** An output of the summary: the walk's, without its spans, with its share (one literal: a compact object each). */
function withShare(o: TaintedOutput): TaintSummary['outputs'][number] {
  const share = shareText(o.taint, o.value);
  if (o.asset !== undefined || o.ref !== undefined) {
    const { spans: _spans, ...rest } = o;
    return { ...rest, share };
  }
  return { txid: o.txid, vout: o.vout, holder: o.holder, value: o.value, taint: o.taint, hop: o.hop, height: o.height, time: o.time, via: o.via, next: o.next, stopped: o.stopped, share };
}

/**
 * `part / whole` as a decimal with 6 places, rounded down, exactly ("0.333333"); "0.000000" when whole is 0.
 * @example shareText(1n, 3n) // '0.333333'
 */
export function shareText(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '0.000000';
  const ppm = (part * 1_000_000n) / whole;
  return `${ppm / 1_000_000n}.${(ppm % 1_000_000n).toString().padStart(6, '0')}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
