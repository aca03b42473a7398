import { MultiDirectedGraph } from 'graphology';
import type { AccountTransaction } from '../model/account.js';
import type { UtxoTransaction } from '../model/utxo.js';
import { holderOf, isCoinbase } from '../model/utxo.js';

/** Node attributes of the case graph (exports read these). */
export interface GraphNodeAttributes {
  kind: 'address' | 'cluster';
  chain: string;
  /** The main label to show. */
  label?: string;
  /** Every label the node carries. */
  labels?: string[];
  /** The cluster the address belongs to (its representative). */
  cluster?: string;
  /** Addresses in a cluster node. */
  size?: number;
}

/** Edge attributes: one value flow of one transaction. */
export interface GraphEdgeAttributes {
  /** Base units as a decimal string (exact). */
  value: string;
  txid: string;
  /** `native` flows leave it out; token flows name the token contract. */
  asset?: string;
}

export type AddressGraph = MultiDirectedGraph<GraphNodeAttributes, GraphEdgeAttributes>;

export interface BuildAddressGraphOptions {
  /** Holder -> cluster representative; with `nodes: 'cluster'` nodes are clusters. */
  clusterOf?: ReadonlyMap<string, string>;
  /** Holder -> its labels (the first is shown). */
  labels?: ReadonlyMap<string, readonly string[]>;
  nodes?: 'address' | 'cluster';
  /** Keep flows from a node to itself (change back to the sender). Default false. */
  selfLoops?: boolean;
}

/**
 * The case graph in graphology: nodes are addresses (or clusters), edges value flows with their transaction.
 * A UTXO transaction gives, for each output, one edge from each input holder carrying that holder's share of the
 * output (shares by input value, integer division, the remainder to the first holder, so edges sum to the output
 * exactly); coinbase outputs come from a `coinbase` node. Account transactions give the native value, internal
 * transfers and token transfers. For the case a person looks at, not the whole store.
 * @example buildAddressGraph(txs, [], { clusterOf }).order
 */
export function buildAddressGraph(utxo: readonly UtxoTransaction[], account: readonly AccountTransaction[] = [], opts: BuildAddressGraphOptions = {}): AddressGraph {
  const g: AddressGraph = new MultiDirectedGraph({ allowSelfLoops: true });
  const asCluster = opts.nodes === 'cluster';
  const members = new Map<string, Set<string>>();
  const node = (chain: string, holder: string): string => {
    const cluster = opts.clusterOf?.get(holder);
    const key = asCluster ? (cluster ?? holder) : holder;
    if (!g.hasNode(key)) {
      const labels = opts.labels?.get(holder);
      const attrs: GraphNodeAttributes = { kind: asCluster ? 'cluster' : 'address', chain };
      if (labels?.length) Object.assign(attrs, { label: labels[0], labels: [...labels] });
      if (!asCluster && cluster !== undefined) attrs.cluster = cluster;
      g.addNode(key, attrs);
    }
    if (asCluster) {
      const set = members.get(key) ?? new Set<string>();
      set.add(holder);
      members.set(key, set);
      g.setNodeAttribute(key, 'size', set.size);
      const labels = opts.labels?.get(holder);
      if (labels?.length) g.updateNodeAttribute(key, 'labels', (l) => [...new Set([...(l ?? []), ...labels])].sort());
    }
    return key;
  };
  const edge = (from: string, to: string, attrs: GraphEdgeAttributes, key: string) => {
    if (from === to && !opts.selfLoops) return;
    if (!g.hasEdge(key)) g.addDirectedEdgeWithKey(key, from, to, attrs);
  };
  for (const tx of utxo) {
    const sources = utxoSources(tx);
    tx.outputs.forEach((o) => {
      const h = holderOf(o);
      if (h === null) return;
      const to = node(tx.chain, h);
      for (const [holder, share] of split(o.value, sources)) {
        edge(holder === null ? coinbaseNode(g, tx.chain) : node(tx.chain, holder), to, { value: share.toString(), txid: tx.txid }, `${tx.txid}:${holder ?? 'coinbase'}>${o.index}`);
      }
    });
  }
  for (const tx of account) {
    if (tx.status !== 'success') continue;
    if (tx.to !== null && tx.value > 0n) edge(node(tx.chain, tx.from), node(tx.chain, tx.to), { value: tx.value.toString(), txid: tx.hash }, `${tx.hash}:native`);
    for (const t of tx.internalTransfers) if (t.value > 0n) edge(node(tx.chain, t.from), node(tx.chain, t.to), { value: t.value.toString(), txid: tx.hash }, `${tx.hash}:call:${t.traceAddress}`);
    for (const t of tx.tokenTransfers) edge(node(tx.chain, t.from), node(tx.chain, t.to), { value: t.value.toString(), txid: tx.hash, asset: t.token }, `${tx.hash}:log:${t.logIndex}`);
  }
  return g;
}

function coinbaseNode(g: AddressGraph, chain: string): string {
  if (!g.hasNode('coinbase')) g.addNode('coinbase', { kind: 'address', chain, label: 'coinbase' });
  return 'coinbase';
}

/** Input holders with their total value; null for a coinbase. Unresolved inputs are left out. */
function utxoSources(tx: UtxoTransaction): [string | null, bigint][] {
  if (isCoinbase(tx)) return [[null, 1n]];
  const totals = new Map<string, bigint>();
  for (const i of tx.inputs) {
    const h = holderOf(i);
    if (h !== null && i.value !== null) totals.set(h, (totals.get(h) ?? 0n) + i.value);
  }
  return [...totals];
}

/** Split a value over sources by weight: integer shares, the remainder to the first source. */
function split(value: bigint, sources: [string | null, bigint][]): [string | null, bigint][] {
  const total = sources.reduce((s, [, w]) => s + w, 0n);
  if (total === 0n) return [];
  const shares = sources.map(([h, w]): [string | null, bigint] => [h, (value * w) / total]);
  const given = shares.reduce((s, [, v]) => s + v, 0n);
  shares[0][1] += value - given;
  return shares;
}
