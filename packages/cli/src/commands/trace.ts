import { openSqliteStore } from '@cryptotrace/adapters';
import { type LabelIndex, type TaintSummary, type TypologyHit, getChain, rankSuspects } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { formatAmount, formatId, safeText, table, writeJson } from '../output.js';
import { type WalkFlags, caseTypologies, clustersNote, detectTypologies, labelIndexOf, resolveSeeds, runWalk, walkOptions } from './trace-run.js';

export interface TraceOptions extends WalkFlags {
  direction?: 'out' | 'in';
  /** Also write the HTML report of this trace (what `export html --trace` writes) to this file. */
  report?: string;
}

/** `ctrace trace <target>`: the fund flow out of (or into) an address, a transaction or an output, hop by hop. */
export async function trace(ctx: CommandContext, target: string, o: TraceOptions): Promise<number> {
  const walk = walkOptions({ ...o, hops: o.hops ?? '10' }, o.direction === 'in' ? 'backward' : 'forward');
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    let labels: LabelIndex | undefined;
    const labelsOf = () => (labels ??= labelIndexOf(store, src.chain));
    // Whole-chain hits only when a target is named by typology; the ranking reads the case's neighbourhood.
    let hits: TypologyHit[] | undefined;
    const src = resolveSeeds(store, ctx.db, [target], o.chain, () => labelIndexOf(store, o.chain ?? store.stats().chains[0]), () => (hits ??= detectTypologies(store, o.chain ?? store.stats().chains[0])), walk.asOf);
    const unfinished = clustersNote(store, src.chain);
    if (unfinished) ctx.io.err(`note: ${unfinished}\n`);
    const { summary } = runWalk(store, src.chain, src.seeds, walk, labelsOf());
    const reached = walk.direction === 'forward'
      ? rankSuspects(summary, { chain: src.chain, labels: labelsOf(), sources: src.holders, at: walk.asOf, typologies: hits ?? caseTypologies(store, src.chain, summary, () => (hits ??= detectTypologies(store, src.chain))) })
      : { suspects: [], services: [] };
    const json = {
      chain: src.chain, target, policy: summary.policy, policyVersion: summary.policyVersion, direction: o.direction ?? 'out', hops: walk.hops, asOf: walk.asOf,
      seeded: summary.seeded, fee: summary.fee, dropped: summary.dropped, skipped: summary.skipped,
      flow: summary.outputs.map((x) => ({ ...x, labels: x.holder ? labelsOf().of(src.chain, x.holder, walk.asOf).map((l) => `${l.category}@${l.source}`) : [] })),
      addresses: summary.addresses, clusters: summary.clusters, suspects: reached.suspects.slice(0, 20), services: reached.services,
    };
    if (o.report) (await import('./export.js')).writeTraceReport(ctx, json, o.report);
    if (ctx.json) {
      writeJson(ctx.io, json);
      return 0;
    }
    ctx.io.out(flowText(summary, json.flow, src.chain, o, Number(o.limit ?? '200')));
    if (reached.suspects.length) {
      ctx.io.out(`\nsuspects reached (score = tainted / received under ${summary.policy})\n`);
      ctx.io.out(table(['rank', 'wallet', 'score %', 'tainted', 'hop', 'labels', 'typologies'], reached.suspects.slice(0, 10).map((s) => [
        String(s.rank), formatId(s.wallet), s.score, amount(s.parts.tainted, src.chain, s.asset), String(s.parts.minHop), s.parts.labels.join(' ') || '-', s.parts.typologies.join(' ') || '-',
      ]), [0, 2, 3, 4]));
    }
    if (reached.services.length) ctx.io.out(`\nservices reached (the walk stops there): ${reached.services.map((s) => `${formatId(s.wallet)} (${s.labels.join(' ')})`).join(', ')}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** amount of an asset: coin units for the native coin, base units of a token otherwise. */
export function amount(v: bigint, chain: string, asset: string | undefined): string {
  const c = getChain(chain);
  return !asset || asset === 'native' ? formatAmount(v, { symbol: c.symbol, decimals: c.decimals, kind: c.kind }) : `${v} of ${formatId(asset)}`;
}

function flowText(summary: TaintSummary, flow: (TaintSummary['outputs'][number] & { labels: string[] })[], chain: string, o: TraceOptions, limit: number): string {
  const dir = o.direction === 'in' ? 'into' : 'out of';
  const head = `${summary.policy} ${dir} ${safeText(flow.find((f) => f.hop === 0)?.holder ?? '')}: ${flow.length} outputs, ${summary.addresses.length} addresses reached\n\n`;
  // A tree: each output under the output that carried most of its taint.
  const key = (t: string, v: number) => `${t}:${v}`;
  const children = new Map<string, typeof flow>();
  const roots: typeof flow = [];
  const byKey = new Set(flow.map((f) => key(f.txid, f.vout)));
  for (const f of flow) {
    const parent = f.via && byKey.has(key(f.via.txid, f.via.vout)) ? key(f.via.txid, f.via.vout) : null;
    if (parent === null) roots.push(f);
    else children.set(parent, [...(children.get(parent) ?? []), f]);
  }
  const rows: string[][] = [];
  const visit = (f: (typeof flow)[number], depth: number) => {
    if (rows.length >= limit) return;
    const where = f.vout < 0 ? `${formatId(f.txid)} (${f.ref ?? 'coinbase'})` : `${formatId(f.txid)}:${f.vout}`;
    rows.push([
      String(f.hop), `${'  '.repeat(depth)}${depth ? '└ ' : ''}${where}`, formatId(f.holder ?? '(no address)'),
      amount(f.taint, chain, f.asset), `${(Number(f.share) * 100).toFixed(2)}%`, f.labels.map(safeText).join(' ') || '', f.stopped ?? '',
    ]);
    for (const c of children.get(key(f.txid, f.vout)) ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  const more = flow.length > rows.length ? `(${flow.length - rows.length} more rows: --limit, or --json for all)\n` : '';
  return head + table(['hop', 'output', 'holder', 'tainted', 'share', 'labels', 'stop'], rows, [0, 3, 4]) + more;
}
