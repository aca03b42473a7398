import { resolve } from 'node:path';
import { openSqliteStore } from '@cryptotrace/adapters';
import { CtraceError, ILLICIT_CATEGORIES, type LabelIndex, type Suspect, type TypologyHit, comparePolicies, getChain, rankSuspects } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { csv, formatId, safeText, table, writeJson } from '../output.js';
import { amount } from './trace.js';
import { type WalkFlags, caseTypologies, clustersNote, detectTypologies, labelIndexOf, resolveSeeds, runWalk, walkOptions } from './trace-run.js';

export interface SuspectsOptions extends WalkFlags {
  source?: string[];
  comparePolicies?: boolean;
  export?: string;
  /** A model of ctrace model train: rank by exposure and learned probability together. */
  model?: string;
}

/** `ctrace suspects`: wallets ranked by exposure to the sources, each score with its parts and evidence. */
export async function suspects(ctx: CommandContext, o: SuspectsOptions): Promise<number> {
  const walk = walkOptions({ ...o, policy: o.policy ?? 'haircut', hops: o.hops ?? '6' }, 'forward');
  const limit = Number(o.limit ?? '50');
  if (!Number.isInteger(limit) || limit < 1) throw new CtraceError('USAGE', `--limit "${safeText(String(o.limit))}" is not a positive integer`);
  if (o.export && !['csv', 'json'].includes(o.export)) throw new CtraceError('USAGE', `--export "${safeText(o.export)}": use csv or json`);
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const chain = o.chain ?? store.stats().chains[0];
    if (!chain) throw new CtraceError('NOT_FOUND', `${ctx.db} holds no transactions: ingest or fetch some first`);
    getChain(chain);
    let labels: LabelIndex | undefined;
    const labelsOf = () => (labels ??= labelIndexOf(store, chain));
    // Whole-chain hits only for sources named by typology; otherwise each ranking reads its case's neighbourhood.
    let hits: TypologyHit[] | undefined;
    const typologies = () => (hits ??= detectTypologies(store, chain));
    const sources = o.source?.length ? o.source : ILLICIT_CATEGORIES.map((c) => `category:${c}`);
    const src = resolveSeeds(store, ctx.db, sources, chain, labelsOf, typologies, walk.asOf);
    const policies = o.comparePolicies ? (getChain(chain).kind === 'account' ? ['fifo', 'lifo', 'haircut'] : ['fifo', 'lifo', 'haircut', 'tiho', 'poison']) : [walk.policy];
    const ranked: Record<string, Suspect[]> = {};
    let services: { wallet: string; labels: string[]; tainted: bigint }[] = [];
    const unfinished = clustersNote(store, chain);
    if (unfinished) ctx.io.err(`note: ${unfinished}\n`);
    for (const policy of policies) {
      const { summary } = runWalk(store, chain, src.seeds, { ...walk, policy }, labelsOf());
      // Only the first --limit rows are printed unless a model or another policy ranks them again: then only their
      // neighbourhood is read for typologies (the order does not depend on them).
      const only = !o.model && !o.comparePolicies;
      const r = rankSuspects(summary, {
        chain, labels: labelsOf(), sources: src.holders, sourceLabels: src.categories, at: walk.asOf, limit: only ? limit : undefined,
        typologies: hits ?? (only ? (addresses) => caseTypologies(store, chain, addresses, typologies) : caseTypologies(store, chain, summary.addresses.map((a) => a.holder), typologies)),
      });
      ranked[policy] = r.suspects;
      if (policy === walk.policy || !services.length) services = r.services;
    }
    let main: (Suspect & { learned?: { probability: string; combined: string; how: string } })[] = ranked[walk.policy] ?? ranked[policies[0]];
    if (o.model) {
      const { combineWithModel, readModel } = await import('./model.js');
      main = combineWithModel(store, chain, readModel(resolve(ctx.cwd, o.model)), main);
    }
    const head = { analysedAt: walk.asOf, chain, policy: walk.policy, sources: { given: sources, addresses: src.seeds.addresses?.length ?? 0, txids: src.seeds.txids?.length ?? 0, categories: src.categories } };
    if (o.export === 'csv') {
      ctx.io.out(blockListCsv(main.slice(0, limit), walk.asOf, chain));
      return 0;
    }
    if (o.export === 'json' || ctx.json) {
      const body = o.comparePolicies ? { ...head, suspects: main.slice(0, limit), comparison: comparePolicies(ranked).slice(0, limit), services } : { ...head, suspects: main.slice(0, limit), services };
      writeJson(ctx.io, o.export === 'json' ? blockListJson(main.slice(0, limit), head) : body);
      return 0;
    }
    if (o.comparePolicies) {
      const rows = comparePolicies(ranked).slice(0, limit).map((r) => [formatId(r.wallet), ...policies.map((p) => (r.byPolicy[p] ? `#${r.byPolicy[p]!.rank} ${r.byPolicy[p]!.score}%` : '-'))]);
      ctx.io.out(`how the ranking changes across policies (rank and score)\n${table(['wallet', ...policies], rows)}`);
      return 0;
    }
    const named = [`${src.seeds.addresses?.length ?? 0} addresses`, ...(src.seeds.txids?.length ? [`${src.seeds.txids.length} transactions`] : []), ...(src.seeds.outpoints?.length ? [`${src.seeds.outpoints.length} outputs`] : [])];
    ctx.io.out(`${main.length} suspects on ${chain} from sources: ${named.join(', ')}${src.categories.length ? ` (${src.categories.join(', ')})` : ''}; policy ${walk.policy}; as of ${walk.asOf}\n`);
    ctx.io.out(`score = tainted / received, in percent; direct = from a source in one hop, indirect = through unlabelled hops\n\n`);
    if (o.model) ctx.io.out(`learned: ${main[0]?.learned?.how ?? 'no suspect to combine'}\n`);
    ctx.io.out(table(['rank', 'wallet', 'score %', ...(o.model ? ['learned', 'combined = (score % / 100 + learned) / 2'] : []), 'tainted', 'direct', 'indirect', 'received', 'hop', 'labels', 'typologies'], main.slice(0, limit).map((s) => [
      String(s.rank), formatId(s.wallet), s.score, ...(s.learned ? [s.learned.probability, `${s.learned.combined} = (${s.score} / 100 + ${s.learned.probability}) / 2`] : []), amount(s.parts.tainted, chain, s.asset), amount(s.parts.direct, chain, s.asset), amount(s.parts.indirect, chain, s.asset),
      amount(s.parts.received, chain, s.asset), String(s.parts.minHop), s.parts.labels.map(safeText).join(' ') || '-', s.parts.typologies.join(' ') || '-',
    ]), o.model ? [0, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 2, 3, 4, 5, 6, 7]));
    if (services.length) ctx.io.out(`\nservices reached (exposure, not suspects): ${services.slice(0, 10).map((s) => `${formatId(s.wallet)} (${s.labels.map(safeText).join(' ')})`).join(', ')}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** The block list as CSV: one row per wallet with its score, its main evidence and the analysis time. */
function blockListCsv(list: Suspect[], at: string, chain: string): string {
  return csv(
    ['rank', 'chain', 'wallet', 'addresses', 'score_percent', 'tainted', 'received', 'direct', 'indirect', 'min_hop', 'policy', 'source_labels', 'labels', 'typologies', 'evidence_txids', 'analysed_at'],
    list.map((s) => [
      String(s.rank), chain, safeText(s.wallet), s.addresses.map(safeText).join(' '), s.score, String(s.parts.tainted), String(s.parts.received), String(s.parts.direct), String(s.parts.indirect),
      String(s.parts.minHop), s.parts.policy, s.parts.sourceLabels.join(' '), s.parts.labels.map(safeText).join(' '), s.parts.typologies.join(' '), s.evidence.txids.join(' '), at,
    ]),
  );
}

function blockListJson(list: Suspect[], head: object) {
  return {
    ...head,
    blockList: list.map((s) => ({
      rank: s.rank, wallet: s.wallet, asset: s.asset, addresses: s.addresses, score: s.score, parts: s.parts,
      evidence: { txids: s.evidence.txids, paths: s.evidence.paths, typologies: s.evidence.typologies.map((t) => ({ typology: t.typology, holder: t.holder, txids: t.txids.slice(0, 5), detail: t.detail })) },
    })),
  };
}
