import betweenness from 'graphology-metrics/centrality/betweenness.js';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import type { AddressGraph } from './address-graph.js';

/** Metrics of one node: degrees, value in and out (exact, base units), PageRank, and betweenness on small graphs. */
export interface NodeMetrics {
  inDegree: number;
  outDegree: number;
  degree: number;
  /** Sum of incoming and outgoing edge values, decimal string (a native and a token unit are added as they are). */
  weightedDegree: string;
  received: string;
  sent: string;
  pagerank: number;
  /** Present when the graph has at most `betweennessMaxNodes` nodes. */
  betweenness?: number;
}

export interface GraphMetricsOptions {
  /** Betweenness is O(V·E): computed only up to this many nodes (default 2,000). */
  betweennessMaxNodes?: number;
  /** Weight PageRank by edge value (default true). */
  weighted?: boolean;
}

/**
 * Degree, weighted degree (exact, from the value attribute), PageRank (hubs) and, on small graphs, betweenness.
 * @returns node key -> metrics
 * @example graphMetrics(buildAddressGraph(txs)).get('1A...')?.pagerank
 */
export function graphMetrics(graph: AddressGraph, opts: GraphMetricsOptions = {}): Map<string, NodeMetrics> {
  const { betweennessMaxNodes = 2000, weighted = true } = opts;
  const out = new Map<string, NodeMetrics>();
  if (graph.order === 0) return out;
  const ranks = pagerank(graph, { getEdgeWeight: weighted ? (_e, a) => Number(a.value) || 0 : null });
  const between = graph.order <= betweennessMaxNodes ? betweenness(graph, { getEdgeWeight: null, normalized: true }) : null;
  graph.forEachNode((node) => {
    let received = 0n;
    let sent = 0n;
    graph.forEachInEdge(node, (_e, a) => void (received += BigInt(a.value)));
    graph.forEachOutEdge(node, (_e, a) => void (sent += BigInt(a.value)));
    const m: NodeMetrics = {
      inDegree: graph.inDegree(node), outDegree: graph.outDegree(node), degree: graph.degree(node),
      weightedDegree: (received + sent).toString(), received: received.toString(), sent: sent.toString(), pagerank: ranks[node],
    };
    if (between) m.betweenness = between[node];
    out.set(node, m);
  });
  return out;
}

/**
 * Write {@link graphMetrics} onto the nodes as attributes (`pagerank`, `degree`, `weightedDegree`, ...).
 * @example assignGraphMetrics(graph); graph.getNodeAttribute('1A...', 'pagerank')
 */
export function assignGraphMetrics(graph: AddressGraph, opts: GraphMetricsOptions = {}): void {
  for (const [node, m] of graphMetrics(graph, opts)) graph.mergeNodeAttributes(node, m as never);
}

/**
 * The nodes with the highest PageRank: the hubs of a case.
 * @example topHubs(graph, 10).map((h) => h.node)
 */
export function topHubs(graph: AddressGraph, n = 10, opts: GraphMetricsOptions = {}): { node: string; metrics: NodeMetrics }[] {
  return [...graphMetrics(graph, { ...opts, betweennessMaxNodes: 0 })]
    .sort(([a, x], [b, y]) => y.pagerank - x.pagerank || (a < b ? -1 : 1))
    .slice(0, n)
    .map(([node, metrics]) => ({ node, metrics }));
}
