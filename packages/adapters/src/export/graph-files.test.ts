import Graph from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { describe, expect, test } from 'vitest';
import type { CaseEdgeAttributes, CaseNodeAttributes, CaseReport } from './case-report.js';
import { toDot } from './dot.js';
import { toGexf } from './gexf.js';
import { toGraphml } from './graphml.js';
import { flowLayout } from './layout.js';

/** A small case with an amount past 2^53, a hostile label and a suspect. */
function report(): CaseReport {
  const graph = new Graph<CaseNodeAttributes, CaseEdgeAttributes>({ multi: true, type: 'directed' });
  graph.addNode('src', { kind: 'address', chain: 'bitcoin', labels: ['market: <Hydra> & "co"\u001b[31m'] });
  graph.addNode('tx1', { kind: 'tx', chain: 'bitcoin' });
  graph.addNode('dst', { kind: 'address', chain: 'bitcoin', suspect: true, score: 0.93, tainted: '9007199254740993' });
  graph.addEdgeWithKey('e0', 'src', 'tx1', { value: '9007199254740993', txid: 'aa'.repeat(32) });
  graph.addEdgeWithKey('e1', 'tx1', 'dst', { value: '9007199254740993', txid: 'aa'.repeat(32) });
  return { title: 'case <1>', kind: 'trace', chain: 'bitcoin', symbol: 'BTC', decimals: 8, graph, evidence: [] };
}

describe('graph files read back by independent parsers', () => {
  test('default: GEXF keeps nodes, edges, labels as text and exact base units', () => {
    const g = parseGexf(Graph, toGexf(report()));
    expect(g.order).toBe(3);
    expect(g.size).toBe(2);
    expect(g.getNodeAttribute('src', 'labels')).toBe('market: <Hydra> & "co"');
    expect(g.getNodeAttribute('dst', 'suspect')).toBe(true);
    expect(g.getEdgeAttributes(g.edges('tx1', 'dst')[0]).value).toBe('9007199254740993');
    expect(g.getEdgeAttributes(g.edges('tx1', 'dst')[0]).amount).toBe('90071992.54740993 BTC');
  });

  test('default: GraphML (graphology-graphml parser) the same', () => {
    const g = parseGraphml(Graph, toGraphml(report()));
    expect(g.order).toBe(3);
    expect(g.size).toBe(2);
    expect(g.getNodeAttribute('src', 'labels')).toBe('market: <Hydra> & "co"');
    expect(g.getNodeAttribute('dst', 'score')).toBe(0.93);
    const edge = g.edges('src', 'tx1')[0];
    expect(g.getEdgeAttribute(edge, 'value')).toBe('9007199254740993');
  });

  test('default: DOT quotes everything it is given', () => {
    const dot = toDot(report());
    expect(dot).toContain('digraph "case <1>" {');
    expect(dot).toContain('"src" [label="market: <Hydra> & \\"co\\" (src)"');
    expect(dot).toContain('"tx1" -> "dst" [label="90071992.54740993 BTC"');
  });

  test('behavior: the layout puts sources left, is deterministic, and places every node', () => {
    const r = report();
    const a = flowLayout(r.graph);
    expect(a.get('src')?.x).toBe(0);
    expect((a.get('dst')?.x ?? 0) > (a.get('tx1')?.x ?? 0)).toBe(true);
    expect([...flowLayout(r.graph)]).toEqual([...a]);
    expect(a.size).toBe(3);
  });
});
