import type { Span, TaintFlow, TaintPart, TaintShare } from './types.js';
import { spansOf } from './types.js';

/**
 * Lay `parts` end to end in the order given and cut the line into `slots` (in the order given): each tainted interval
 * goes to the slots it overlaps. Exact, lossless and reversible: the core of fifo, lifo and tiho
 * (Anderson et al., "Bitcoin Redux", WEIS 2018).
 * @param parts the sources with their tainted spans, already in the policy's order
 * @param slots the destination values, already in the policy's order
 * @returns per slot (in the order given) its taint and spans, and the flows as (part position, slot position, amount)
 * @example laySpans([{ value: 5n, taint: 5n }], [3n, 2n]) // slots taint 3n and 2n
 */
export function laySpans(parts: readonly TaintPart[], slots: readonly bigint[]): { shares: TaintShare[]; flows: TaintFlow[] } {
  const abs: { a: bigint; b: bigint; part: number }[] = [];
  let offset = 0n;
  parts.forEach((p, k) => {
    for (const [a, b] of spansOf(p)) if (b > a) abs.push({ a: offset + a, b: offset + b, part: k });
    offset += p.value;
  });
  const shares: TaintShare[] = [];
  const flows = new Map<string, TaintFlow>();
  let start = 0n;
  let cursor = 0;
  slots.forEach((value, j) => {
    const end = start + value;
    const spans: Span[] = [];
    let taint = 0n;
    while (cursor < abs.length && abs[cursor].b <= start) cursor++;
    for (let c = cursor; c < abs.length && abs[c].a < end; c++) {
      const a = abs[c].a > start ? abs[c].a : start;
      const b = abs[c].b < end ? abs[c].b : end;
      if (b <= a) continue;
      pushSpan(spans, a - start, b - start);
      taint += b - a;
      const key = `${abs[c].part}:${j}`;
      const f = flows.get(key);
      if (f) f.amount += b - a;
      else flows.set(key, { input: abs[c].part, output: j, amount: b - a });
    }
    shares.push({ taint, spans });
    start = end;
  });
  return { shares, flows: [...flows.values()] };
}

/** Append [a, b), merging with the last span when they touch. */
function pushSpan(spans: Span[], a: bigint, b: bigint): void {
  const last = spans[spans.length - 1];
  if (last && last[1] === a) spans[spans.length - 1] = [last[0], b];
  else spans.push([a, b]);
}

/**
 * Split `total` over parts in proportion to their weights, exactly: each gets floor(total·w/W); the units left over go
 * one each to the parts with the largest remainders, ties to the earlier part (Hamilton's largest-remainder rule).
 * A part never gets more than ceil(total·w/W), so with total ≤ W no part exceeds its weight.
 * @example apportion(10n, [1n, 1n, 1n]) // [4n, 3n, 3n]
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  let sum = 0n;
  for (const w of weights) sum += w;
  if (sum === 0n || total === 0n) return weights.map(() => 0n);
  const out = weights.map((w) => (total * w) / sum);
  const rema = weights.map((w, k) => ({ k, r: (total * w) % sum }));
  let left = total - out.reduce((s, v) => s + v, 0n);
  rema.sort((x, y) => (x.r === y.r ? x.k - y.k : x.r > y.r ? -1 : 1));
  for (let i = 0; left > 0n; i++, left--) out[rema[i].k] += 1n;
  return out;
}
