import Graph from 'graphology';
import { type AccountTransaction, type CaseStore, type UtxoTransaction, getChain, holderOf } from '@cryptotrace/core';
import type { AssetInfo, CaseEdgeAttributes, CaseGraph, CaseNodeAttributes, CaseReport, EvidenceRow } from './case-report.js';

export type FlowDirection = 'out' | 'in' | 'both';

export interface FlowGraphParameters {
  chain: string;
  /** Addresses (or script ids) and transaction ids to start from. */
  seeds: { addresses?: string[]; txids?: string[] };
  direction?: FlowDirection;
  /** Transactions followed away from a seed. */
  hops?: number;
  /** Stop adding transactions once the graph holds this many nodes. */
  maxNodes?: number;
  /** The labels of an address, as short texts (`market: Hydra (graphsense)`); untrusted. */
  labelsOf?: (chain: string, address: string) => string[];
  tokenInfo?: (chain: string, token: string) => AssetInfo | null;
  title?: string;
}

export interface FlowGraphReturnType extends CaseReport {
  /** True when maxNodes stopped the walk before `hops` were done. */
  truncated: boolean;
}

/**
 * The fund flow around some addresses or transactions, read from the store: UTXO transactions as `tx` nodes between
 * the addresses that funded them and the addresses they paid (exact input and output values, nothing apportioned);
 * account transactions as address-to-address edges per asset. Walks `hops` transactions forward (`out`), backward
 * (`in`) or both, breadth first, in a deterministic order.
 * @param store the case store
 * @param params chain, seeds, direction, hops, limits and lookups
 * @returns a case report (graph and evidence) ready for any export
 * @example toHtmlReport(flowGraph(store, { chain: 'bitcoin', seeds: { addresses: ['1A1z...'] }, hops: 3 }))
 */
export function flowGraph(store: CaseStore, params: FlowGraphParameters): FlowGraphReturnType {
  const { chain, direction = 'out', hops = 3, maxNodes = 500, labelsOf, tokenInfo } = params;
  const info = getChain(chain);
  const graph: CaseGraph = new Graph<CaseNodeAttributes, CaseEdgeAttributes>({ multi: true, type: 'directed', allowSelfLoops: true });
  const evidence: EvidenceRow[] = [];
  const assets: Record<string, AssetInfo> = {};
  const seen = new Set<string>();
  let truncated = false;

  const addAddress = (address: string) => {
    if (graph.hasNode(address)) return;
    const labels = labelsOf?.(chain, address) ?? [];
    graph.addNode(address, { kind: 'address', chain, ...(labels.length ? { labels } : {}) });
  };
  const addEdge = (from: string, to: string, value: bigint, txid: string, asset?: string) => {
    // Keys from the walk's own order, so the same walk gives the same files (graphology's keys carry an instance id).
    graph.addEdgeWithKey(`e${graph.size}`, from, to, { value: value.toString(), txid, ...(asset ? { asset } : {}) });
  };

  /** Add one transaction; returns the transactions one hop further in the walk's direction. */
  const addUtxo = (tx: UtxoTransaction, forward: boolean, backward: boolean): string[] => {
    graph.mergeNode(tx.txid, { kind: 'tx', chain });
    const next: string[] = [];
    for (const input of tx.inputs) {
      const holder = input.coinbase ? `coinbase:${tx.txid}` : holderOf(input) ?? `${input.prevTxid}:${input.prevVout}`;
      if (input.coinbase) graph.mergeNode(holder, { kind: 'address', chain, labels: ['coinbase (newly mined)'] });
      else addAddress(holder);
      addEdge(holder, tx.txid, input.value ?? 0n, tx.txid);
      if (backward && !input.coinbase) next.push(input.prevTxid);
    }
    for (const output of tx.outputs) {
      const holder = holderOf(output);
      if (!holder) continue;
      addAddress(holder);
      addEdge(tx.txid, holder, output.value, tx.txid);
      evidence.push({ rule: 'output', txid: tx.txid, from: tx.txid, to: holder, amount: output.value.toString(), note: `output ${output.index} (${output.scriptType})` });
      const spender = forward ? store.spenderOf(chain, tx.txid, output.index) : null;
      if (spender) next.push(spender.txid);
    }
    return next;
  };

  const addAccount = (tx: AccountTransaction, forward: boolean, backward: boolean, focus: Set<string>): string[] => {
    const moves: [string, string, bigint, string | undefined, string][] = [];
    if (tx.to && tx.value > 0n) moves.push([tx.from, tx.to, tx.value, undefined, 'transfer']);
    for (const t of tx.internalTransfers) if (t.value > 0n) moves.push([t.from, t.to, t.value, undefined, `internal ${t.callType} ${t.traceAddress || '-'}`]);
    for (const t of tx.tokenTransfers) moves.push([t.from, t.to, t.value, t.token, `token transfer, log ${t.logIndex}`]);
    const next: string[] = [];
    for (const [from, to, value, asset, note] of moves) {
      if (!focus.has(from) && !focus.has(to)) continue;
      addAddress(from);
      addAddress(to);
      addEdge(from, to, value, tx.hash, asset);
      if (asset && !(asset in assets)) assets[asset] = tokenInfo?.(chain, asset) ?? {};
      evidence.push({ rule: 'transfer', txid: tx.hash, from, to, amount: value.toString(), ...(asset ? { asset } : {}), note });
      const other = focus.has(from) ? to : from;
      for (const h of store.addressHistory(chain, other)) {
        const later = h.blockTime === null || h.blockTime >= tx.blockTime;
        if ((forward && h.sent > 0n && later) || (backward && h.received > 0n && !later)) next.push(`${other}\n${h.txid}`);
      }
    }
    return next;
  };

  let frontier: string[] = [...(params.seeds.txids ?? [])];
  for (const address of params.seeds.addresses ?? []) {
    addAddress(address);
    for (const h of store.addressHistory(chain, address)) {
      if ((direction !== 'in' && h.sent > 0n) || (direction !== 'out' && h.received > 0n)) frontier.push(info.kind === 'account' ? `${address}\n${h.txid}` : h.txid);
    }
  }
  for (let hop = 0; hop < hops && frontier.length; hop++) {
    const next: string[] = [];
    for (const item of [...new Set(frontier)].sort()) {
      if (seen.has(item)) continue;
      if (graph.order >= maxNodes) {
        truncated = true;
        break;
      }
      seen.add(item);
      const [focusAddress, txid] = item.includes('\n') ? item.split('\n') : [null, item];
      const tx = store.getTransaction(chain, txid);
      if (!tx) continue;
      const forward = direction !== 'in';
      const backward = direction !== 'out';
      if ('txid' in tx) next.push(...addUtxo(tx, forward, backward));
      else next.push(...addAccount(tx, forward, backward, new Set(focusAddress ? [focusAddress] : [tx.from, ...(tx.to ? [tx.to] : [])])));
    }
    frontier = next;
  }
  const seedText = [...(params.seeds.addresses ?? []), ...(params.seeds.txids ?? [])].join(', ');
  return {
    title: params.title ?? `Fund flow ${direction === 'in' ? 'into' : direction === 'out' ? 'from' : 'around'} ${seedText}`,
    kind: 'case',
    chain,
    symbol: info.symbol,
    decimals: info.decimals,
    graph,
    evidence,
    assets,
    summary: [['chain', chain], ['direction', direction], ['hops', String(hops)], ['nodes', String(graph.order)], ['edges', String(graph.size)], ...(truncated ? [['truncated at', `${maxNodes} nodes`] as [string, string]] : [])],
    truncated,
  };
}
