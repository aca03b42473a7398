import { openSqliteStore } from '@cryptotrace/adapters';
import { CtraceError, type LabelIndex, type TaintSummary, type TypologyHit, getChain, rankSuspects } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { JsonSeq, formatAmount, formatId, safeText, table, writeJson, writeNdjson } from '../output.js';
import { type WalkFlags, caseTypologies, clustersNote, detectTypologies, labelIndexOf, resolveSeeds, runWalk, walkOptions } from './trace-run.js';

export interface TraceOptions extends WalkFlags {
  direction?: 'out' | 'in';
  /** Also write the HTML report of this trace (what `export html --trace` writes) to this file. */
  report?: string;
  /** Print NDJSON: a header record, then one record per element of the document's arrays ({@link NDJSON_RECORDS}). */
  ndjson?: boolean;
}

/** Suspects in the trace's output (the text shows the first 10). */
const SUSPECTS_PRINTED = 20;

/** `--ndjson`: the record name of each array of the trace document (docs/json-schema.md). */
export const NDJSON_RECORDS = { skipped: 'skipped', flow: 'output', addresses: 'address', clusters: 'cluster', suspects: 'suspect', services: 'service' };

/** The items mapped one at a time, as they are read. */
function* mapped<T, U>(items: Iterable<T>, f: (x: T) => U): Generator<U> {
  for (const x of items) yield f(x);
}

/** `ctrace trace <target>`: the fund flow out of (or into) an address, a transaction or an output, hop by hop. */
export async function trace(ctx: CommandContext, target: string, o: TraceOptions): Promise<number> {
  const walk = walkOptions({ ...o, hops: o.hops ?? '10' }, o.direction === 'in' ? 'backward' : 'forward');
  if (o.ndjson && ctx.json) throw new CtraceError('USAGE', '--json and --ndjson: choose one (--ndjson prints the same records one per line)');
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
      // The typologies of the suspects printed only: their neighbourhood, not that of every address reached.
      ? rankSuspects(summary, {
        chain: src.chain, labels: labelsOf(), sources: src.holders, at: walk.asOf, limit: SUSPECTS_PRINTED,
        typologies: hits ?? ((addresses) => caseTypologies(store, src.chain, addresses, () => (hits ??= detectTypologies(store, src.chain)))),
      })
      : { suspects: [], services: [] };
    // Each flow element (its labels) is made when it is printed: the document is written as it is made.
    const flowOf = (x: TaintSummary['outputs'][number]) => ({ ...x, labels: x.holder ? labelsOf().of(src.chain, x.holder, walk.asOf).map((l) => `${l.category}@${l.source}`) : [] });
    const json = {
      chain: src.chain, target, policy: summary.policy, policyVersion: summary.policyVersion, direction: o.direction ?? 'out', hops: walk.hops, asOf: walk.asOf,
      seeded: summary.seeded, fee: summary.fee, dropped: summary.dropped, skipped: summary.skipped,
      flow: new JsonSeq(() => mapped(summary.outputs, flowOf), summary.outputs.length),
      addresses: summary.addresses, clusters: summary.clusters, suspects: reached.suspects, services: reached.services,
    };
    if (o.report) (await import('./export.js')).writeTraceReport(ctx, json, o.report);
    if (o.ndjson) {
      writeNdjson(ctx.io, json, 'trace', NDJSON_RECORDS);
      return 0;
    }
    if (ctx.json) {
      writeJson(ctx.io, json);
      return 0;
    }
    const limit = Number(o.limit ?? '200');
    ctx.io.out(flowText(summary, summary.outputs, (x) => flowOf(x).labels, src.chain, o, limit));
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

function flowText(summary: TaintSummary, flow: TaintSummary['outputs'], labelsOf: (x: TaintSummary['outputs'][number]) => string[], chain: string, o: TraceOptions, limit: number): string {
  const dir = o.direction === 'in' ? 'into' : 'out of';
  const head = `${summary.policy} ${dir} ${safeText(flow.find((f) => f.hop === 0)?.holder ?? '')}: ${flow.length} outputs, ${summary.addresses.length} addresses reached\n\n`;
  // A tree: each output under the output that carried most of its taint; only the first `limit` rows are made.
  const key = (t: string, v: number) => `${t}:${v}`;
  const at = new Map<string, number>();
  flow.forEach((f, k) => at.set(key(f.txid, f.vout), k));
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  flow.forEach((f, k) => {
    const parent = f.via ? at.get(key(f.via.txid, f.via.vout)) : undefined;
    if (parent === undefined) roots.push(k);
    else {
      const c = children.get(parent);
      if (c) c.push(k);
      else children.set(parent, [k]);
    }
  });
  const rows: string[][] = [];
  const visit = (k: number, depth: number) => {
    if (rows.length >= limit) return;
    const f = flow[k];
    const where = f.vout < 0 ? `${formatId(f.txid)} (${f.ref ?? 'coinbase'})` : `${formatId(f.txid)}:${f.vout}`;
    rows.push([
      String(f.hop), `${'  '.repeat(depth)}${depth ? '└ ' : ''}${where}`, formatId(f.holder ?? '(no address)'),
      amount(f.taint, chain, f.asset), `${(Number(f.share) * 100).toFixed(2)}%`, labelsOf(f).map(safeText).join(' ') || '', f.stopped ?? '',
    ]);
    for (const c of children.get(k) ?? []) visit(c, depth + 1);
  };
  for (const r of roots) {
    if (rows.length >= limit) break;
    visit(r, 0);
  }
  const more = flow.length > rows.length ? `(${flow.length - rows.length} more rows: --limit <n> for more, --json or --ndjson for all)\n` : '';
  return head + table(['hop', 'output', 'holder', 'tainted', 'share', 'labels', 'stop'], rows, [0, 3, 4]) + more;
}
