import { createRequire } from 'node:module';
import type * as Gexf from 'graphology-gexf';
import { type CaseEdgeAttributes, type CaseNodeAttributes, type CaseReport, edgeText, nodeLabels } from './case-report.js';
import { cleanText } from './html-escape.js';
import { flowLayout } from './layout.js';
import { nodeColor, nodeTitle } from './style.js';

// The GEXF writer (and its XML library) loads when a GEXF file is written, not on every start of the CLI.
let gexf: typeof Gexf | undefined;
const write: typeof Gexf.write = (...args) => (gexf ??= createRequire(import.meta.url)('graphology-gexf') as typeof Gexf).write(...args);

/** Terminal escapes and characters XML 1.0 forbids: untrusted text loses them before the writer escapes the rest. */
const clean = (text: string) => cleanText(text).replace(/[\ufffe\uffff]/g, '');

/**
 * The case graph as GEXF 1.3 (opens in Gephi): node attributes kind, chain, labels, cluster, tainted, suspect, score;
 * edge attributes value (base units), txid, asset, amount (coin units); positions and colours from the flow layout.
 * @param report the case report (graph, chain units, assets)
 * @returns the GEXF document
 * @example writeFileSync('case.gexf', toGexf(report))
 */
export function toGexf(report: CaseReport): string {
  const positions = flowLayout(report.graph);
  return write(report.graph, {
    version: '1.3',
    formatNode: (key: string, a: CaseNodeAttributes) => ({
      label: clean(nodeTitle(key, a)),
      viz: { ...positions.get(key), size: a.suspect ? 8 : 5, color: nodeColor(a) },
      attributes: {
        kind: a.kind,
        chain: clean(a.chain),
        labels: clean(nodeLabels(a).join('; ')),
        cluster: clean(a.cluster ?? ''),
        tainted: a.tainted ?? '0',
        suspect: Boolean(a.suspect),
        score: a.score ?? 0,
      },
    }),
    formatEdge: (_key: string, a: CaseEdgeAttributes) => ({
      label: clean(edgeText(report, a)),
      weight: Number(a.value),
      attributes: { value: a.value, txid: a.txid, asset: clean(a.asset ?? 'native'), amount: clean(edgeText(report, a)) },
    }),
  } as never);
}
