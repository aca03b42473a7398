import type { ChangeRow, PairRow } from './measure-utxo.js';
import { PUBLISHED_CHANGE } from './published.js';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

function md(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

/** Same-owner pairs: one row per scenario and configuration. */
export function pairTable(rows: PairRow[]): string {
  return md(['scenario', 'rules', 'unions', 'precision', 'recall', 'largest false merge (owners)', 'CoinJoin false links'], rows.map((r) => [
    r.scenario, r.config, String(r.unions), pct(r.precision), pct(r.recall), r.largestFalseMerge ? `${r.largestFalseMerge} (${r.falseMergeOwners})` : '0', String(r.coinjoinFalseLinks),
  ]));
}

/** Change rules pooled over scenarios: unique picks only; the lowest per-scenario precision beside the pooled one. */
export function changeTable(rows: ChangeRow[]): string {
  const rules = [...new Set(rows.map((r) => r.rule))];
  return md(['rule', 'precision', 'recall (coverage)', 'picks', 'lowest scenario precision'], rules.map((rule) => {
    const rs = rows.filter((r) => r.rule === rule);
    const picks = rs.reduce((s, r) => s + r.picks, 0);
    const correct = rs.reduce((s, r) => s + r.correct, 0);
    const withChange = rs.reduce((s, r) => s + r.withChange, 0);
    const lowest = rs.filter((r) => r.picks > 0).sort((a, b) => a.precision - b.precision)[0];
    return [rule, picks ? pct(correct / picks) : '-', pct(withChange ? correct / withChange : 0), String(picks), lowest ? `${pct(lowest.precision)} (${lowest.scenario})` : '-'];
  }));
}

/** CoinJoins in the truth, how many the detectors flagged, and unions drawn across owners from them. */
export function coinjoinTable(rows: { scenario: string; truth: number; flagged: number; falseLinks: number }[]): string {
  return md(['scenario', 'CoinJoins (truth)', 'flagged', 'cross-owner unions from a CoinJoin (multi-input, guarded)'], rows.map((r) => [r.scenario, String(r.truth), String(r.flagged), String(r.falseLinks)]));
}

/**
 * Each change rule's pooled precision and coverage beside Möser and Narayanan's, the differences in points, and
 * whether they are within the target (precision ±5, coverage ±10).
 */
export function calibrationTable(rows: ChangeRow[]): string {
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
  return md(['rule', 'precision (ours)', 'published', 'Δ points', 'coverage (ours)', 'published', 'Δ points', 'within target'], Object.entries(PUBLISHED_CHANGE).flatMap(([rule, pub]) => {
    const rs = rows.filter((r) => r.rule === rule);
    if (rs.length === 0) return [];
    const picks = rs.reduce((s, r) => s + r.picks, 0);
    const correct = rs.reduce((s, r) => s + r.correct, 0);
    const withChange = rs.reduce((s, r) => s + r.withChange, 0);
    const p = picks ? correct / picks : 0;
    const c = withChange ? correct / withChange : 0;
    const ok = Math.abs(p - pub.precision) <= 0.05 && Math.abs(c - pub.coverage) <= 0.1;
    return [[rule, pct(p), `${pct(pub.precision)}${pub.note ? ` (${pub.note})` : ''}`, pts(p - pub.precision), pct(c), pct(pub.coverage), pts(c - pub.coverage), ok ? 'yes' : 'no']];
  }));
}
