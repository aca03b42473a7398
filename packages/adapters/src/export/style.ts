import { type CaseNodeAttributes, nodeLabels } from './case-report.js';
import { cleanText } from './html-escape.js';

/** Node colours shared by every export, so a suspect looks the same in Gephi, Graphviz and the report. */
export const COLORS = { suspect: '#d62728', labelled: '#ff7f0e', tainted: '#9467bd', cluster: '#2ca02c', tx: '#7f7f7f', address: '#1f77b4' } as const;

/** The colour of a node: suspect, then labelled, then tainted, then by kind. */
export function nodeColor(a: CaseNodeAttributes): string {
  if (a.suspect) return COLORS.suspect;
  if (nodeLabels(a).length) return COLORS.labelled;
  if (a.tainted && a.tainted !== '0') return COLORS.tainted;
  return a.kind === 'tx' ? COLORS.tx : a.kind === 'cluster' ? COLORS.cluster : COLORS.address;
}

/** A short address for a picture: the first 8 and last 6 characters; the full one stays in the attributes. */
export function shortId(id: string): string {
  return id.length > 18 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id;
}

/** What a node is called in a picture: its first label with its short id, or the short id alone (untrusted text). */
export function nodeTitle(key: string, a: CaseNodeAttributes): string {
  const labels = nodeLabels(a).map(cleanText);
  if (!labels.length) return shortId(key);
  const label = [...labels[0]].length > 28 ? `${[...labels[0]].slice(0, 27).join('')}…` : labels[0];
  return `${label} (${shortId(key)})`;
}
