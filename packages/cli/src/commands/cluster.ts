import { type ClusterEventView, createClusterReader, createClusterTables, openSqliteStore, type SqliteStore, updateClusters } from '@cryptotrace/adapters';
import { CtraceError } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { formatId, safeText, table, toJson } from '../output.js';
import { addressNotFound, resolveAddressArg } from './resolve.js';

/** Open the store and bring the chain's clusters up to date (incremental; a first run builds them with defaults). */
function openUpToDate(ctx: CommandContext, address: string, chainFlag?: string): { store: SqliteStore; chain: string; address: string } {
  const store = openSqliteStore(ctx.db, { onWait: waitNote(ctx) });
  try {
    const r = resolveAddressArg(store, address, chainFlag);
    const before = createClusterTables(store.db).loadRun(r.chain);
    for (const u of updateClusters(store, { chain: r.chain })) {
      if (u.mode !== 'rebuild') continue;
      if (before) ctx.io.err(`finished an interrupted rebuild: clustered ${u.transactions} ${u.chain} transactions again with its rules (${u.ruleSet.rules.join(', ')})\n`);
      else ctx.io.err(`clustered ${u.transactions} ${u.chain} transactions with the default rules (${u.ruleSet.rules.join(', ')}); "ctrace cluster rebuild --rules ..." to choose\n`);
    }
    return { store, ...r };
  } catch (err) {
    store.close();
    throw err;
  }
}

function limitOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CtraceError('USAGE', `--limit must be a positive whole number, got "${text}"`);
  return n;
}

/** `ctrace cluster <address>`: the cluster, its labels and the rules that built it. */
export async function showCluster(ctx: CommandContext, addressArg: string, opts: { chain?: string; limit: string }): Promise<number> {
  const limit = limitOf(opts.limit);
  const { store, chain, address } = openUpToDate(ctx, addressArg, opts.chain);
  try {
    const view = createClusterReader(store.db).cluster(chain, address, limit);
    if (!view) throw addressNotFound(ctx.db, chain, address);
    if (ctx.json) {
      ctx.io.out(toJson({ ...view, truncated: view.addresses.length < view.size }));
      return 0;
    }
    const lines = [`cluster of ${address} (${chain}): ${view.size} address${view.size === 1 ? '' : 'es'}, root ${view.root}`];
    lines.push(`built by: ${view.rules.length ? view.rules.map((r) => `${r.rule} v${r.version} (${r.links} union${r.links === 1 ? '' : 's'})`).join(', ') : 'no union (a cluster of one)'}`);
    if (view.ruleSet) lines.push(`rule set: ${view.ruleSet.rules.join(', ')}; updated ${view.updatedAt}`);
    ctx.io.out(`${lines.join('\n')}\n\n`);
    if (view.labels.length) {
      ctx.io.out(`labels:\n${table(['address', 'category', 'actor', 'source', 'confidence'], view.labels.map((l) => [l.address, l.category, safeText(l.actor), safeText(l.source), String(l.confidence)]), [4])}\n`);
    }
    ctx.io.out(`addresses:\n${view.addresses.map((a) => `  ${a}`).join('\n')}\n`);
    if (view.addresses.length < view.size) ctx.io.out(`  ... ${view.size - view.addresses.length} more (raise --limit)\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `ctrace cluster why <a> <b>`: the shortest chain of evidence, or "not linked". */
export async function whyLinked(ctx: CommandContext, aArg: string, bArg: string, opts: { chain?: string }): Promise<number> {
  const { store, chain, address: a } = openUpToDate(ctx, aArg, opts.chain);
  try {
    // The same resolver as the first address (a key held only as pay-to-pubkey coins is found as p2pk:<address>).
    const b = resolveAddressArg(store, bArg, opts.chain ?? chain).address;
    const reader = createClusterReader(store.db);
    for (const x of [a, b]) {
      if (!reader.cluster(chain, x, 1)) throw addressNotFound(ctx.db, chain, x);
    }
    const path = reader.why(chain, a, b);
    const evidence = (path ?? []).map((e) => ({ rule: e.evidence.rule, version: e.evidence.version, txid: e.evidence.txid, confidence: e.evidence.confidence, from: e.from, to: e.to }));
    // Not linked: the transactions they share that a guard kept from linking them, and why.
    const guarded = path === null ? reader.guardedBetween(chain, a, b).map((e) => ({ kind: e.kind, rule: e.rule, txid: e.txid })) : [];
    if (ctx.json) {
      ctx.io.out(toJson({ linked: path !== null, evidence, ...(path === null ? { guarded } : {}) }));
      return 0;
    }
    if (path === null) {
      const size = (x: string) => reader.cluster(chain, x, 1)!.size;
      ctx.io.out(`${a} and ${b} are not linked (clusters of ${size(a)} and ${size(b)} addresses)\n`);
      for (const g of guarded) ctx.io.out(`  ${g.txid} gave no link: ${g.kind === 'ambiguous' ? 'ambiguous equal-output transaction (one owner or two)' : 'CoinJoin'} (${g.rule})\n`);
      return 0;
    }
    ctx.io.out(`${a} and ${b} are linked in ${path.length} step${path.length === 1 ? '' : 's'}:\n`);
    const rows = path.map((e, n) => [String(n + 1), formatId(e.from), formatId(e.to), `${e.evidence.rule} v${e.evidence.version}`, formatId(e.evidence.txid), e.evidence.blockHeight === null ? '' : String(e.evidence.blockHeight), String(e.evidence.confidence)]);
    ctx.io.out(table(['step', 'from', 'to', 'rule', 'txid', 'block', 'confidence'], rows, [5, 6]));
    return 0;
  } finally {
    store.close();
  }
}

/** `ctrace cluster guards`: CoinJoin and ambiguous equal-output skips, and refused merges. */
export async function guards(ctx: CommandContext, opts: { chain?: string; kind?: ClusterEventView['kind']; limit: string }): Promise<number> {
  const limit = limitOf(opts.limit);
  const store = openSqliteStore(ctx.db, { onWait: waitNote(ctx) });
  try {
    const chains = opts.chain ? [opts.chain] : store.stats().chains;
    const reader = createClusterReader(store.db);
    const events = chains.flatMap((chain) => reader.events(chain, opts.kind ?? null, limit).map((e) => ({ chain, ...e })));
    if (ctx.json) {
      ctx.io.out(toJson({ events }));
      return 0;
    }
    if (events.length === 0) {
      ctx.io.out('no guard fired (or clusters not built yet: run "ctrace cluster rebuild")\n');
      return 0;
    }
    const rows = events.map((e) => [e.chain, e.kind, formatId(e.txid), e.rule, e.a ? formatId(e.a) : '', e.b ? formatId(e.b) : '', e.kind === 'coinjoin' || e.kind === 'ambiguous' ? '' : `${e.detail.sizeA} vs ${e.detail.sizeB}${e.detail.ownerA ? ` (${safeText(String(e.detail.ownerA))} / ${safeText(String(e.detail.ownerB))})` : ''}`]);
    ctx.io.out(table(['chain', 'kind', 'txid', 'rule', 'a', 'b', 'sizes (owners)'], rows));
    return 0;
  } finally {
    store.close();
  }
}
