import { checkInputFile, correctionsNote, ingestFiles, openSqliteStore, parseInputFormat, updateClusters, type IngestSummary } from '@cryptotrace/adapters';
import { getChain } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { safeText, table, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export interface IngestOptions {
  files: string[];
  chain?: string;
  format?: string;
  batchTxs?: number;
}

/** `ctrace ingest <files...>`: decode files of any supported format into the case store. */
export async function ingest(ctx: CommandContext, opts: IngestOptions): Promise<number> {
  if (opts.chain) getChain(opts.chain);
  const format = opts.format ? parseInputFormat(opts.format) : undefined;
  // Refuse a missing or empty file before creating or touching the store.
  for (const f of opts.files) checkInputFile(f);
  const store = openSqliteStore(ctx.db, { create: true, onWait: waitNote(ctx) });
  let stop = false;
  const onSigint = () => {
    stop = true;
    ctx.io.err('\ninterrupt: finishing the current batch, then stopping\n');
  };
  process.on('SIGINT', onSigint);
  const bar = progressBar(ctx.io, 'ingest');
  let summary: IngestSummary;
  try {
    summary = await ingestFiles(store, opts.files, {
      chain: opts.chain,
      format,
      batchTxs: opts.batchTxs,
      shouldStop: () => stop,
      onProgress: (p) => bar.update(p.bytesDone + p.fileIndex * p.bytesTotal, p.bytesTotal * p.files, `${p.transactions} txs`),
    });
  } finally {
    bar.done();
    process.off('SIGINT', onSigint);
  }
  // Chains clustered before are brought up to date with what was added (only the new transactions are read).
  const clusters = summary.interrupted || summary.transactions === 0 ? [] : updateClusters(store, { onlyClustered: true });
  const stats = store.stats();
  store.close();
  const clustered = clusters.map((c) => ({ chain: c.chain, transactions: c.transactions, links: c.links }));
  const result = { ...summary, unresolvedInputs: stats.unresolvedInputs, ...(clustered.length ? { clustersUpdated: clustered } : {}) };
  if (ctx.json) {
    ctx.io.out(toJson(result));
  } else {
    // "already stored" counts transactions; those of blocks the store held are counted without decoding the blocks.
    const known = (blocks: number, txs: number) => `${txs} txs${blocks ? ` (${blocks} blocks)` : ''}`;
    const rows = summary.files.map((f) => [f.path, f.format, String(f.blocks), String(f.transactions), known(f.blocksAlreadyStored, f.duplicates)]);
    ctx.io.out(table(['file', 'format', 'new blocks', 'new txs', 'already stored'], rows, [2, 3, 4]));
    const already = summary.duplicates || summary.blocksAlreadyStored ? `; already stored: ${known(summary.blocksAlreadyStored, summary.duplicates).replace(' txs', ' transactions')}, left as they were` : '';
    ctx.io.out(`stored ${summary.blocks} blocks and ${summary.transactions} transactions in ${ctx.db}${already}; ${summary.resolvedInputs} inputs resolved, ${stats.unresolvedInputs} waiting for their previous transaction\n`);
    for (const c of clustered) {
      const links = Object.entries(c.links).map(([rule, n]) => `${n} ${rule}`).join(', ') || 'no new links';
      ctx.io.out(`clusters of ${c.chain} brought up to date: ${c.transactions} transactions read, ${links}\n`);
    }
  }
  const corrected = correctionsNote(summary.correctedInputs ?? []);
  if (corrected) ctx.io.err(`note: ${safeText(corrected)}\n`);
  if (summary.interrupted) {
    ctx.io.err('interrupted: everything above is committed; run the same command again to resume\n');
    return 130;
  }
  return 0;
}
