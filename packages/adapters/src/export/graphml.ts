import { type CaseReport, amountText, edgeText, nodeLabels } from './case-report.js';
import { flowLayout } from './layout.js';
import { nodeColor, nodeTitle } from './style.js';
import { escapeXml } from './xml.js';

const NODE_KEYS = [
  ['label', 'string'], ['kind', 'string'], ['chain', 'string'], ['labels', 'string'], ['cluster', 'string'],
  ['tainted', 'string'], ['suspect', 'boolean'], ['score', 'double'], ['color', 'string'], ['x', 'double'], ['y', 'double'],
] as const;
const EDGE_KEYS = [['value', 'string'], ['txid', 'string'], ['asset', 'string'], ['amount', 'string'], ['weight', 'double']] as const;

/**
 * The case graph as GraphML (opens in Gephi, yEd, Cytoscape, networkx): every attribute declared as a typed key,
 * values in base units as strings so nothing is rounded.
 * @param report the case report
 * @returns the GraphML document
 * @example writeFileSync('case.graphml', toGraphml(report))
 */
export function toGraphml(report: CaseReport): string {
  const { graph } = report;
  const positions = flowLayout(graph);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...NODE_KEYS.map(([k, t]) => `  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`),
    ...EDGE_KEYS.map(([k, t]) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`),
    `  <graph id="${escapeXml(report.title)}" edgedefault="directed">`,
  ];
  const data = (prefix: string, values: Record<string, string | number | boolean | undefined>) =>
    Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `      <data key="${prefix}_${k}">${escapeXml(String(v))}</data>`);
  for (const key of [...graph.nodes()].sort()) {
    const a = graph.getNodeAttributes(key);
    const p = positions.get(key);
    lines.push(`    <node id="${escapeXml(key)}">`, ...data('n', {
      label: nodeTitle(key, a), kind: a.kind, chain: a.chain, labels: nodeLabels(a).join('; '), cluster: a.cluster,
      tainted: a.tainted, suspect: a.suspect, score: a.score, color: nodeColor(a), x: p?.x, y: p?.y,
    }), '    </node>');
  }
  for (const key of [...graph.edges()].sort()) {
    const a = graph.getEdgeAttributes(key);
    lines.push(`    <edge id="${escapeXml(key)}" source="${escapeXml(graph.source(key))}" target="${escapeXml(graph.target(key))}">`, ...data('e', {
      value: a.value, txid: a.txid, asset: a.asset ?? 'native', amount: edgeText(report, a), weight: Number(a.value),
    }), '    </edge>');
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
