import { type ChainSource, type FetchSummary, type FetchTarget, type SourceSelection, fetchNeighbourhood, openSqliteStore, selectSource, updateClusters } from '@cryptotrace/adapters';
import { type Chain, CtraceError, getChain, normalizeAddress, normalizeHash } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { safeText, toJson } from '../output.js';
import { progressBar } from '../progress.js';

/** The source flags; the RPC password and the explorer API key come from the environment too, so that they stay out of shell history. */
export interface FetchOptions extends Omit<SourceSelection, 'needs' | 'limits' | 'onNotice'> {
  concurrency?: string;
  rps?: string;
  timeout?: string;
  retries?: string;
  chain: string;
  what: string;
  ids: string[];
  hops?: string;
  direction?: string;
  maxTxs?: string;
  maxPages?: string;
  maxResponseMb?: string;
  offline?: boolean;
  resolveInputs?: boolean;
}

/** `ctrace fetch <chain> tx|address|block|blocks ...`: pull a neighbourhood from a node or explorer into the store. */
export async function fetchCommand(ctx: CommandContext, o: FetchOptions): Promise<number> {
  const chain = getChain(o.chain);
  const target = parseTarget(chain, o.what, o.ids);
  const hops = integer(o.hops ?? '0', '--hops', 0, 50);
  const maxTxs = integer(o.maxTxs ?? '1000', '--max-txs', 1, 10_000_000);
  const direction = o.direction ?? 'both';
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw new CtraceError('USAGE', `--direction must be in, out or both, not "${safeText(direction)}"`);
  // Ctrl-C abandons the requests in flight (a source that hangs does not hold the command) and stops after the last commit.
  const interrupt = new AbortController();
  const onRetry = (r: { request: string; attempt: number; delayMs: number; reason: string }) =>
    ctx.io.err(`note: ${safeText(r.reason)}; retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s\n`);
  const limits = {
    concurrency: integer(o.concurrency ?? '4', '--concurrency', 1, 256),
    rps: o.rps === undefined ? undefined : positive(o.rps, '--rps'),
    timeoutMs: integer(o.timeout ?? '30000', '--timeout', 100, 3_600_000),
    retries: integer(o.retries ?? '4', '--retries', 0, 100),
    signal: interrupt.signal,
    maxResponseBytes: o.maxResponseMb === undefined ? undefined : integer(o.maxResponseMb, '--max-response-mb', 1, 1_000_000) * 1024 * 1024,
    onRetry,
  };
  const maxPages = o.maxPages === undefined ? undefined : integer(o.maxPages, '--max-pages', 1, 10_000_000);
  const source: ChainSource | null = o.offline ? null : selectSource(chain, {
    rpcUrl: o.rpcUrl, rpcCookie: o.rpcCookie, rpcUser: o.rpcUser, rpcPassword: o.rpcPassword ?? process.env.CTRACE_RPC_PASSWORD,
    esploraUrl: o.esploraUrl, explorerApiUrl: o.explorerApiUrl, explorerApiKey: o.explorerApiKey ?? process.env.CTRACE_EXPLORER_API_KEY,
    needs: { addressHistory: target.kind === 'address' || (chain.kind === 'account' && hops > 0), spenders: hops > 0 && direction !== 'in' },
    limits, onNotice: (m) => ctx.io.err(`note: ${safeText(m)}\n`),
  });
  if (source && target.kind === 'address' && !source.capabilities.addressHistory) {
    throw new CtraceError('USAGE', `${source.kind} cannot list an address's history (Bitcoin Core keeps no address index): use --esplora-url, or --offline for what the store holds`);
  }
  const store = openSqliteStore(ctx.db, { create: true, onWait: waitNote(ctx) });
  let stop = false;
  const onSigint = () => {
    stop = true;
    interrupt.abort();
    ctx.io.err('\ninterrupt: finishing the current step, then stopping\n');
  };
  process.on('SIGINT', onSigint);
  const bar = progressBar(ctx.io, 'fetch');
  let summary: FetchSummary;
  let clusters: ReturnType<typeof updateClusters> = [];
  try {
    summary = await fetchNeighbourhood(store, source, {
      chain, target, hops, direction, maxTxs, resolveInputs: o.resolveInputs !== false, paging: maxPages === undefined ? {} : { addressPages: maxPages },
      shouldStop: () => stop,
      onProgress: (p) => bar.update(p.done, p.done + p.pending, target.kind === 'blocks' || target.kind === 'block' ? `${p.done} blocks, ${p.fetched} fetched` : `${p.admitted}/${p.maxTxs} txs, ${p.fetched} fetched`),
    });
    // Chains clustered before are brought up to date with what was fetched.
    if (!summary.interrupted && summary.transactions > 0) clusters = updateClusters(store, { onlyClustered: true });
  } finally {
    bar.done();
    process.off('SIGINT', onSigint);
    store.close();
    await source?.close?.();
  }
  const clustersUpdated = clusters.map((c) => ({ chain: c.chain, transactions: c.transactions, links: c.links }));
  const result = { chain: chain.name, target, hops, direction, maxTxs, offline: Boolean(o.offline), source: source ? { kind: source.kind, locator: source.locator } : null, ...summary, ...(clustersUpdated.length ? { clustersUpdated } : {}) };
  if (ctx.json) ctx.io.out(toJson(result));
  else ctx.io.out(describe(ctx, result, summary));
  for (const n of summary.notes) ctx.io.err(`note: ${safeText(n)}\n`);
  if (summary.interrupted) {
    ctx.io.err('interrupted: everything above is committed; run the same command again to resume\n');
    return 130;
  }
  const targetMissing = summary.missing.some((m) => (target.kind === 'tx' && m.key === target.txid) || (target.kind === 'block' && m.key === String(target.block)));
  if (targetMissing) {
    ctx.io.err(o.offline ? 'ctrace: the target is not in the store and --offline forbids fetching it: run without --offline\n' : 'ctrace: the source does not have the target\n');
    return 1;
  }
  return 0;
}

function describe(ctx: CommandContext, r: { chain: string; offline: boolean; source: { kind: string; locator: string } | null }, s: FetchSummary): string {
  const from = r.offline ? 'the store only (--offline)' : `${r.source?.kind} ${safeText(r.source?.locator ?? '')}`;
  const lines = [
    s.alreadyComplete ? `this fetch completed before (job ${s.job}): nothing fetched, run \`ctrace show\` to look at it` : `${s.resumed ? 'resumed' : 'fetched'} from ${from} (job ${s.job})`,
    `  transactions fetched: ${s.fetchedTransactions} (+${s.fetchedParents} previous transactions to resolve inputs), blocks fetched: ${s.fetchedBlocks}`,
    // Headers come with fetched transactions too (their block's place and time): they are not blocks fetched.
    `  stored: ${s.transactions} new transactions, ${s.blocks} new block headers, ${s.duplicates} already stored; ${s.resolvedInputs} inputs resolved`,
    `  budget: ${s.admitted} transactions admitted${s.budgetReached ? ' (--max-txs reached: the neighbourhood is cut off there)' : ''}`,
  ];
  if (s.missing.length > 0) lines.push(`  not found: ${s.missing.slice(0, 10).map((m) => `${m.kind} ${safeText(m.key)}`).join(', ')}${s.missing.length > 10 ? `, and ${s.missing.length - 10} more` : ''}`);
  lines.push(`  store: ${ctx.db}`);
  return `${lines.join('\n')}\n`;
}

function parseTarget(chain: Chain, what: string, ids: string[]): FetchTarget {
  const want = what === 'blocks' ? 2 : 1;
  if (!['tx', 'address', 'block', 'blocks'].includes(what)) throw new CtraceError('USAGE', `fetch what? "${safeText(what)}" is not tx, address, block or blocks`);
  if (ids.length !== want) throw new CtraceError('USAGE', `fetch ${what} takes ${want === 2 ? 'two block heights, <from> <to>' : 'one argument'}, got ${ids.length}`);
  if (what === 'tx') return { kind: 'tx', txid: normalizeHash(chain, ids[0]) };
  if (what === 'address') return { kind: 'address', address: normalizeAddress(chain, ids[0]) };
  if (what === 'block') return { kind: 'block', block: /^\d+$/.test(ids[0]) ? integer(ids[0], 'block height', 0, 2 ** 40) : normalizeHash(chain, ids[0]) };
  const from = integer(ids[0], '<from>', 0, 2 ** 40);
  const to = integer(ids[1], '<to>', 0, 2 ** 40);
  if (to < from) throw new CtraceError('USAGE', `fetch blocks ${from} ${to}: <to> is below <from>`);
  if (to - from >= 1_000_000) throw new CtraceError('USAGE', `fetch blocks ${from} ${to}: at most 1,000,000 blocks per command`);
  return { kind: 'blocks', from, to };
}

export function integer(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new CtraceError('USAGE', `${what} must be a whole number from ${min} to ${max}, not "${safeText(text)}"`);
  return Number(text);
}

export function positive(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n > 0)) throw new CtraceError('USAGE', `${what} must be a positive number, not "${safeText(text)}"`);
  return n;
}
