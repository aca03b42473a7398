import type Graph from 'graphology';

/** What a node of the case graph carries (the address graph of core/src/graph): an address, a cluster or a transaction. */
export interface CaseNodeAttributes {
  [key: string]: unknown;
  kind: 'address' | 'cluster' | 'tx';
  chain: string;
  label?: string;
  labels?: string[];
  cluster?: string;
  /** Tainted base units reaching this node, as a decimal string. */
  tainted?: string;
  suspect?: boolean;
  score?: number;
}

/** What an edge carries: a value flow in base units (decimal string), the transaction, and the asset when not native. */
export interface CaseEdgeAttributes {
  [key: string]: unknown;
  value: string;
  txid: string;
  asset?: string;
  /** For a link of a cluster (not a value flow): the rule that made it, and its confidence. */
  rule?: string;
  confidence?: number;
}

/** What an edge says in a picture: its amount, or for a cluster link its rule and confidence (untrusted text). */
export function edgeText(report: Pick<CaseReport, 'symbol' | 'decimals' | 'assets'>, a: CaseEdgeAttributes): string {
  return a.rule ? `${a.rule}${a.confidence !== undefined ? ` (${a.confidence})` : ''}` : amountText(report, a.value, a.asset);
}

export type CaseGraph = Graph<CaseNodeAttributes, CaseEdgeAttributes>;

/** A token (or other non-native asset) as the report names it; its name and symbol are untrusted chain data. */
export interface AssetInfo {
  symbol?: string | null;
  name?: string | null;
  decimals?: number | null;
}

/** One row of the evidence table: why a link or an amount is in the report. */
export interface EvidenceRow {
  rule: string;
  txid: string;
  from?: string;
  to?: string;
  /** Base units, decimal string. */
  amount?: string;
  asset?: string;
  confidence?: number;
  note?: string;
}

/** Everything a report or an export shows: the graph, the chain's units, the evidence and a few headline facts. */
export interface CaseReport {
  title: string;
  kind: 'trace' | 'cluster' | 'case';
  chain: string;
  symbol: string;
  decimals: number;
  graph: CaseGraph;
  evidence: EvidenceRow[];
  /** Non-native assets by id (token contract), for names and decimals. */
  assets?: Record<string, AssetInfo>;
  /** Headline facts shown above the graph, in order. */
  summary?: [string, string][];
}

/**
 * A base-unit amount in coin units, exact: 150000000n, 8 -> "1.5".
 * @example unitsText(150000000n, 8) // "1.5"
 */
export function unitsText(value: bigint, decimals: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const base = 10n ** BigInt(decimals);
  const frac = decimals === 0 ? '' : (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / base}${frac ? `.${frac}` : ''}`;
}

/** The amount of an edge or evidence row with its unit: native coin or the asset's symbol (untrusted text, not escaped here). */
export function amountText(report: Pick<CaseReport, 'symbol' | 'decimals' | 'assets'>, value: string, asset?: string): string {
  if (!asset || asset === 'native') return `${unitsText(BigInt(value), report.decimals)} ${report.symbol}`;
  const info = report.assets?.[asset];
  if (info?.decimals == null) return `${value} base units of ${info?.symbol ?? asset}`;
  return `${unitsText(BigInt(value), info.decimals)} ${info.symbol ?? asset}`;
}

/** The labels of a node, in one list: `labels` and the single `label`, without repeats. */
export function nodeLabels(attrs: CaseNodeAttributes): string[] {
  const all = [...(attrs.labels ?? []), ...(attrs.label ? [attrs.label] : [])];
  return [...new Set(all)];
}
