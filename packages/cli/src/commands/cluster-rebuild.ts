import { openSqliteStore, rebuildClusters, type ClusterRunSummary } from '@cryptotrace/adapters';
import { CtraceError, getChain, parseRuleSet } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { table, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export interface RebuildOptions {
  rules?: string;
  chain?: string;
  maxMergeSize: string;
  labelConfidence: string;
  labelGuard: boolean;
  coinjoinGuard: boolean;
  changeThreshold?: string;
}

function number(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new CtraceError('USAGE', `${name} must be a number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** `ctrace cluster rebuild`: recompute clusters from scratch, chain by chain. */
export async function rebuild(ctx: CommandContext, opts: RebuildOptions): Promise<number> {
  const set = parseRuleSet(opts.rules);
  set.guards.maxMergeSize = number('--max-merge-size', opts.maxMergeSize, 1, Number.MAX_SAFE_INTEGER);
  set.guards.labelConfidence = number('--label-confidence', opts.labelConfidence, 0, 100);
  set.guards.labelGuard = opts.labelGuard;
  set.guards.coinjoinGuard = opts.coinjoinGuard;
  set.change.coinjoinGuard = opts.coinjoinGuard;
  if (opts.changeThreshold !== undefined) set.change.threshold = number('--change-threshold', opts.changeThreshold, 0, 1);
  if (opts.chain) getChain(opts.chain);
  const store = openSqliteStore(ctx.db, { onWait: waitNote(ctx) });
  const bar = progressBar(ctx.io, 'cluster');
  try {
    const stats = store.stats();
    const chains = opts.chain ? [opts.chain] : stats.chains;
    const out: ClusterRunSummary[] = [];
    for (const chain of chains) {
      out.push(rebuildClusters(store, chain, set, { onProgress: (p) => bar.update(p.transactions, stats.transactions, `${chain} ${p.transactions} txs`) }));
    }
    bar.done();
    if (ctx.json) {
      ctx.io.out(toJson({ ruleSet: set, chains: out.map(({ ruleSet: _r, ...rest }) => rest) }));
      return 0;
    }
    const rows = out.map((s) => [s.chain, String(s.transactions), Object.entries(s.links).map(([r, n]) => `${r} ${n}`).join(', ') || '-', String(s.coinjoins), String(s.ambiguous), String(s.refused)]);
    ctx.io.out(table(['chain', 'txs', 'unions by rule', 'coinjoins skipped', 'ambiguous skipped', 'merges refused'], rows, [1, 3, 4, 5]));
    ctx.io.out(`rules: ${set.rules.join(', ')}${set.rules.includes('change') ? ` (change voters: ${set.change.rules.join(', ')}; threshold ${set.change.threshold})` : ''}\n`);
    ctx.io.out(`guards: CoinJoin ${set.guards.coinjoinGuard ? 'on' : 'OFF'}, collapse at ${set.guards.maxMergeSize} addresses, owner labels ${set.guards.labelGuard ? `>= ${set.guards.labelConfidence}` : 'OFF'}; see "ctrace cluster guards"\n`);
    return 0;
  } finally {
    bar.done();
    store.close();
  }
}
