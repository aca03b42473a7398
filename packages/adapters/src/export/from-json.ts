import Graph from 'graphology';
import type { CaseEdgeAttributes, CaseGraph, CaseNodeAttributes, CaseReport, EvidenceRow } from './case-report.js';

/** The fields of `ctrace --json trace` that a report draws (the trace command documents the whole schema). */
export interface TraceJson {
  chain: string;
  target: string;
  policy: string;
  direction: 'out' | 'in';
  hops: number;
  asOf?: string;
  seeded: string;
  flow: {
    txid: string;
    vout: number;
    holder: string | null;
    taint: string;
    hop: number;
    via: { txid: string; vout: number; amount: string } | null;
    stopped: string | null;
    share: string;
    labels?: string[];
  }[];
  addresses?: { holder: string; cluster?: string | null; taint: string; share: string }[];
  asset?: string;
}

/** The fields of `ctrace --json cluster <address>` and `cluster why` that a report draws. */
export interface ClusterJson {
  chain: string;
  root: string;
  size: number;
  addresses: string[];
  labels: { address: string; category: string; actor?: string; source: string; confidence?: number }[];
}
export interface ClusterLinkJson {
  rule: string;
  version?: number;
  txid: string;
  confidence: number;
  from: string;
  to: string;
}

type Units = { symbol: string; decimals: number };
const newGraph = (): CaseGraph => new Graph<CaseNodeAttributes, CaseEdgeAttributes>({ multi: true, type: 'directed', allowSelfLoops: true });

/**
 * A trace as a report: each tainted output's holder is a node carrying its tainted amount; each hop is an edge from
 * the holder of the output spent to the holder of the output reached, with the taint it carried and its transaction;
 * the evidence table lists every hop with the policy, share and why the walk stopped there.
 * @param traces the JSON of `ctrace --json trace`, or of several (one per seed), drawn as one graph
 * @param units the chain's symbol and decimals
 * @example toHtmlReport(traceReport(JSON.parse(stdout), getChain('bitcoin')))
 */
export function traceReport(traces: TraceJson | TraceJson[], units: Units): CaseReport {
  const all = Array.isArray(traces) ? traces : [traces];
  if (all.length === 0) throw new Error('traceReport: no trace given');
  const graph = newGraph();
  const evidence: EvidenceRow[] = [];
  for (const trace of all) addTrace(graph, evidence, trace);
  const [first] = all;
  const reached = all.reduce((n, t) => n + t.flow.length, 0);
  const seeded = all.reduce((n, t) => n + BigInt(t.seeded), 0n);
  const target = all.length === 1 ? first.target : `${all.length} targets (${first.target}, ...)`;
  return {
    title: `${first.policy} trace ${first.direction === 'in' ? 'into' : 'from'} ${target}`,
    kind: 'trace', chain: first.chain, symbol: units.symbol, decimals: units.decimals, graph, evidence,
    summary: [['chain', first.chain], ['policy', first.policy], ['direction', first.direction], ['hops', String(first.hops)], ['seeded', `${seeded} base units`], ['outputs reached', String(reached)], ...(first.asOf ? [['as of', first.asOf] as [string, string]] : [])],
  };
}

/** Add one trace's hops to a graph: taint sums per holder (traces of disjoint seeds add up). */
function addTrace(graph: CaseGraph, evidence: EvidenceRow[], trace: TraceJson): void {
  const holderOf = new Map<string, string>();
  const node = (id: string, labels: string[] = []) => {
    if (!graph.hasNode(id)) graph.addNode(id, { kind: 'address', chain: trace.chain, tainted: '0' });
    if (labels.length) graph.setNodeAttribute(id, 'labels', [...new Set([...(graph.getNodeAttribute(id, 'labels') ?? []), ...labels])]);
  };
  for (const f of trace.flow) {
    const holder = f.holder ?? `${f.txid}:${f.vout}`;
    holderOf.set(`${f.txid}:${f.vout}`, holder);
    node(holder, f.labels ?? []);
    graph.setNodeAttribute(holder, 'tainted', (BigInt(graph.getNodeAttribute(holder, 'tainted') ?? '0') + BigInt(f.taint)).toString());
    const from = f.via ? holderOf.get(`${f.via.txid}:${f.via.vout}`) ?? `${f.via.txid}:${f.via.vout}` : null;
    if (from) {
      node(from);
      const [a, b] = trace.direction === 'in' ? [holder, from] : [from, holder];
      graph.addEdgeWithKey(`e${graph.size}`, a, b, { value: f.taint, txid: f.txid, ...(trace.asset && trace.asset !== 'native' ? { asset: trace.asset } : {}) });
    }
    evidence.push({
      rule: trace.policy, txid: f.txid, ...(from ? { from } : {}), to: holder, amount: f.taint,
      note: `hop ${f.hop}, output ${f.vout}, share ${f.share}${f.stopped ? `, stopped: ${f.stopped}` : ''}`,
    });
  }
  for (const a of trace.addresses ?? []) if (a.cluster && graph.hasNode(a.holder)) graph.setNodeAttribute(a.holder, 'cluster', a.cluster);
}

/**
 * A cluster as a report: its addresses as nodes (with their labels), the evidence that links each to the root as
 * edges named by rule and confidence.
 * @param cluster the JSON of `ctrace --json cluster <address>`
 * @param links the evidence of `ctrace --json cluster why <root> <address>` for its addresses
 */
export function clusterReport(cluster: ClusterJson, links: ClusterLinkJson[], units: Units): CaseReport {
  const graph = newGraph();
  for (const a of cluster.addresses) graph.mergeNode(a, { kind: 'address', chain: cluster.chain, cluster: cluster.root });
  for (const l of cluster.labels) {
    graph.mergeNode(l.address, { kind: 'address', chain: cluster.chain });
    const text = `${l.category}${l.actor ? `: ${l.actor}` : ''} (${l.source})`;
    graph.setNodeAttribute(l.address, 'labels', [...new Set([...(graph.getNodeAttribute(l.address, 'labels') ?? []), text])]);
  }
  const seen = new Set<string>();
  const evidence: EvidenceRow[] = [];
  for (const l of links) {
    const id = `${l.rule}|${l.txid}|${l.from}|${l.to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const a of [l.from, l.to]) graph.mergeNode(a, { kind: 'address', chain: cluster.chain, cluster: cluster.root });
    graph.addEdgeWithKey(`e${graph.size}`, l.from, l.to, { value: '0', txid: l.txid, rule: l.rule, confidence: l.confidence });
    evidence.push({ rule: `${l.rule}${l.version ? ` v${l.version}` : ''}`, txid: l.txid, from: l.from, to: l.to, confidence: l.confidence });
  }
  return {
    title: `Cluster of ${cluster.root}`, kind: 'cluster', chain: cluster.chain, symbol: units.symbol, decimals: units.decimals, graph, evidence,
    summary: [['chain', cluster.chain], ['addresses', String(cluster.size)], ['labels', String(cluster.labels.length)], ['links drawn', String(evidence.length)]],
  };
}
