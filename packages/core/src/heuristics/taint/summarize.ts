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
  const index = new Map<TaintedOutput, number>(outs.map((o, k) => [o, k]));
  const pathOf = (o: TaintedOutput): TaintPath => {
    const hops: TaintPathHop[] = [];
    let k = index.get(o)!;
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
  const groups = new Map<string, TaintedOutput[]>();
  const clusterGroups = new Map<string, TaintedOutput[]>();
  for (const o of run.outputs) {
    if (o.hop === 0 || o.holder === null) continue;
    const asset = o.asset ?? 'native';
    push(groups, `${asset}\u0000${o.holder}`, o);
    const c = clusterOf?.(o.holder) ?? null;
    if (c) push(clusterGroups, `${asset}\u0000${c}`, o);
  }
  const holderTaint = (key: string, outs: TaintedOutput[], cluster: string | null, received: bigint | null): HolderTaint => {
    const [asset, holder] = key.split('\u0000');
    const taint = outs.reduce((s, o) => s + o.taint, 0n);
    const total = received ?? outs.reduce((s, o) => s + o.value, 0n);
    const top = [...outs].sort((a, b) => cmpBig(b.taint, a.taint) || cmpStr(a.txid, b.txid) || a.vout - b.vout).slice(0, topPaths);
    return {
      holder, cluster, asset, taint, received: total, share: shareText(taint, total),
      minHop: outs.reduce((m, o) => (o.hop < m ? o.hop : m), Number.POSITIVE_INFINITY), outputs: outs.length, stopped: outs.some((o) => o.stopped !== null),
      // Made each time they are read (printed, say), not kept: a walk over 10^6 transactions reaches 10^5 holders.
      get paths() {
        return top.map(pathOf);
      },
    };
  };
  // What a holder received in all is known for the native coin only; token shares use the tainted transfers' value.
  const total = (asset: string, h: string) => (asset === 'native' ? receivedOf?.(h) ?? null : null);
  const addresses = [...groups].map(([k, outs]) => {
    const [asset, h] = k.split('\u0000');
    return holderTaint(k, outs, clusterOf?.(h) ?? null, total(asset, h));
  });
  const clusters = [...clusterGroups].map(([k, outs]) => {
    const asset = k.split('\u0000')[0];
    const members = [...new Set(outs.map((o) => o.holder!))];
    const received = receivedOf && asset === 'native' ? members.reduce((s, m) => s + (receivedOf(m) ?? 0n), 0n) : null;
    return holderTaint(k, outs, k.split('\u0000')[1], received);
  });
  const order = (a: HolderTaint, b: HolderTaint) => cmpBig(b.taint, a.taint) || cmpStr(a.holder, b.holder) || cmpStr(a.asset, b.asset);
  return {
    policy: run.policy,
    policyVersion: run.policyVersion,
    direction: run.direction,
    seeded: run.seeded,
    fee: run.fee,
    dropped: run.dropped,
    outputs: run.outputs.map(({ spans: _spans, ...o }) => ({ ...o, share: shareText(o.taint, o.value) })),
    addresses: addresses.sort(order),
    clusters: clusters.sort(order),
    skipped: run.skipped,
  };
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
