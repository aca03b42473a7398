import { type CaseReport, edgeText } from './case-report.js';
import { cleanText } from './html-escape.js';
import { nodeColor, nodeTitle } from './style.js';

/** A DOT double-quoted string: quotes and backslashes escaped, line breaks and control characters removed. */
export function dotString(text: string): string {
  return `"${cleanText(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The case graph as Graphviz DOT, laid out left to right: `dot -Tsvg case.dot > case.svg`. Suspects red, labelled
 * addresses orange, transactions as boxes; each edge shows its amount in coin units and a tooltip with the txid.
 * @param report the case report
 * @returns the DOT document
 * @example writeFileSync('case.dot', toDot(report))
 */
export function toDot(report: CaseReport): string {
  const { graph } = report;
  const lines = [
    `digraph ${dotString(report.title)} {`,
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=10, style=filled, fontcolor=white];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const key of [...graph.nodes()].sort()) {
    const a = graph.getNodeAttributes(key);
    const shape = a.kind === 'tx' ? 'box' : a.kind === 'cluster' ? 'doubleoctagon' : 'ellipse';
    lines.push(`  ${dotString(key)} [label=${dotString(nodeTitle(key, a))}, tooltip=${dotString(key)}, shape=${shape}, fillcolor=${dotString(nodeColor(a))}${a.suspect ? ', penwidth=3' : ''}];`);
  }
  for (const key of [...graph.edges()].sort()) {
    const a = graph.getEdgeAttributes(key);
    lines.push(`  ${dotString(graph.source(key))} -> ${dotString(graph.target(key))} [label=${dotString(edgeText(report, a))}, tooltip=${dotString(a.txid)}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
