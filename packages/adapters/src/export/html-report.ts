import { createHash } from 'node:crypto';
import { browserBundles } from './bundles.js';
import { type CaseReport, amountText, edgeText, nodeLabels, unitsText } from './case-report.js';
import { HTML_APP } from './html-app.js';
import { cleanText, escapeHtml, scriptJson } from './html-escape.js';
import { flowLayout } from './layout.js';
import { COLORS, nodeColor, nodeTitle, shortId } from './style.js';

const h = escapeHtml;
const sha256 = (code: string) => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

/** The graph as graphology's serialized form, with what sigma draws: positions, colours, sizes, labels, amounts. */
export function reportGraphData(report: CaseReport) {
  const { graph } = report;
  const positions = flowLayout(graph);
  const nodes = [...graph.nodes()].sort().map((key) => {
    const a = graph.getNodeAttributes(key);
    const labels = nodeLabels(a).map(cleanText);
    const details = [
      `${a.kind} on ${cleanText(a.chain)}`,
      ...labels.map((l) => `label: ${l}`),
      ...(a.cluster ? [`cluster: ${cleanText(a.cluster)}`] : []),
      ...(a.tainted && a.tainted !== '0' ? [`tainted: ${unitsText(BigInt(a.tainted), report.decimals)} ${cleanText(report.symbol)}`] : []),
      ...(a.suspect ? [`suspect${a.score !== undefined ? `, score ${a.score}` : ''}`] : []),
    ];
    return {
      key,
      attributes: { ...positions.get(key), label: cleanText(nodeTitle(key, a)), color: nodeColor(a), size: a.suspect ? 14 : labels.length ? 11 : 8, kind: a.kind, suspect: Boolean(a.suspect), details },
    };
  });
  const edges = [...graph.edges()].sort().map((key) => {
    const a = graph.getEdgeAttributes(key);
    const tainted = graph.getNodeAttributes(graph.target(key)).tainted;
    return {
      key,
      source: graph.source(key),
      target: graph.target(key),
      attributes: { label: cleanText(edgeText(report, a)), txid: a.txid, size: 2, color: tainted && tainted !== '0' ? '#b39ddb' : '#bbbbbb' },
    };
  });
  return { options: { type: 'directed', multi: true, allowSelfLoops: true }, attributes: {}, nodes, edges };
}

function evidenceTable(report: CaseReport): string {
  const rows = report.evidence.map((e) => `<tr data-txid="${h(e.txid)}" data-from="${h(e.from ?? '')}" data-to="${h(e.to ?? '')}">` +
    `<td>${h(e.rule)}</td><td class="id" title="${h(e.txid)}">${h(shortId(e.txid))}</td>` +
    `<td class="id" title="${h(e.from ?? '')}">${h(shortId(e.from ?? ''))}</td><td class="id" title="${h(e.to ?? '')}">${h(shortId(e.to ?? ''))}</td>` +
    `<td class="num">${e.amount !== undefined ? h(amountText(report, e.amount, e.asset)) : ''}</td>` +
    `<td class="num">${e.confidence !== undefined ? h(String(e.confidence)) : ''}</td><td>${h(e.note ?? '')}</td></tr>`);
  return `<table id="evidence"><caption>Evidence (${report.evidence.length})</caption><thead><tr><th>rule</th><th>tx</th><th>from</th><th>to</th><th>amount</th><th>confidence</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function nodesTable(report: CaseReport): string {
  const { graph } = report;
  const keys = [...graph.nodes()].sort((x, y) => Number(graph.getNodeAttribute(y, 'score') ?? 0) - Number(graph.getNodeAttribute(x, 'score') ?? 0) || (x < y ? -1 : 1));
  const rows = keys.map((key) => {
    const a = graph.getNodeAttributes(key);
    const tainted = a.tainted && a.tainted !== '0' ? `${unitsText(BigInt(a.tainted), report.decimals)} ${report.symbol}` : '';
    return `<tr data-node="${h(key)}"${a.suspect ? ' class="suspect"' : ''}><td class="id" title="${h(key)}">${h(shortId(key))}</td><td>${h(a.kind)}</td>` +
      `<td>${h(nodeLabels(a).join('; '))}</td><td class="num">${h(tainted)}</td><td>${a.suspect ? 'suspect' : ''}</td><td class="num">${a.score ?? ''}</td></tr>`;
  });
  return `<table id="nodes"><caption>Addresses (${graph.order})</caption><thead><tr><th>id</th><th>kind</th><th>labels</th><th>tainted</th><th></th><th>score</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `body{margin:0;font:13px/1.4 system-ui,sans-serif;color:#222;display:flex;flex-direction:column;height:100vh}
header{padding:8px 14px;border-bottom:1px solid #ddd}h1{font-size:17px;margin:0 0 4px}dl{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0}
dt{color:#666}dd{margin:0 0 0 4px;font-weight:600}dl div{display:flex}main{flex:1;display:flex;min-height:0}
#graph{flex:3;min-width:0;position:relative}aside{flex:2;overflow:auto;border-left:1px solid #ddd;padding:8px}
table{border-collapse:collapse;width:100%;margin-bottom:14px}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid #eee;padding:2px 6px;text-align:left;vertical-align:top}td.num{text-align:right;white-space:nowrap}
td.id{font-family:ui-monospace,monospace}tr.hit{background:#fff3c4}tr.suspect td:first-child{border-left:3px solid ${COLORS.suspect}}
#details{min-height:1.4em;font-family:ui-monospace,monospace;word-break:break-all;margin-bottom:8px}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}`;

/**
 * A self-contained HTML report of a trace or a cluster: the fund flow drawn with sigma.js (amounts on edges, labels
 * and suspects highlighted) beside the evidence table. graphology and sigma are inlined, so the file works offline;
 * all untrusted text is escaped, and a Content-Security-Policy lets only the report's own scripts run.
 * @param report the case report
 * @returns the HTML document
 * @example writeFileSync('report.html', toHtmlReport(report))
 */
export function toHtmlReport(report: CaseReport): string {
  const { graphology, sigma } = browserBundles();
  const csp = `default-src 'none'; script-src ${[graphology, sigma, HTML_APP].map(sha256).join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const summary = (report.summary ?? []).map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('');
  const legend = [['suspect', COLORS.suspect], ['labelled', COLORS.labelled], ['tainted', COLORS.tainted], ['address', COLORS.address], ['cluster', COLORS.cluster], ['transaction', COLORS.tx]]
    .map(([name, color]) => `<span><i style="background:${color}"></i>${name}</span>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(report.title)}</title>
<style>${STYLE}</style></head>
<body data-kind="${report.kind}"><header><h1>${h(report.title)}</h1><dl>${summary}</dl></header>
<main><div id="graph"></div><aside><div class="legend">${legend}</div><div id="details"></div>${nodesTable(report)}${evidenceTable(report)}</aside></main>
<script id="case-data" type="application/json">${scriptJson({ title: cleanText(report.title), graph: reportGraphData(report) })}</script>
<script>${graphology}</script>
<script>${sigma}</script>
<script>${HTML_APP}</script>
</body></html>
`;
}
