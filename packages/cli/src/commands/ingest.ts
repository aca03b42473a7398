import { statSync } from 'node:fs';
import { bulkLoadState, checkInputFile, correctionsNote, expandInputPaths, ingestFiles, openSqliteStore, parseInputFormat, updateClusters, type IngestSummary } from '@cryptotrace/adapters';
import { getChain } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { safeText, table, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export interface IngestOptions {
  files: string[];
  chain?: string;
  format?: string;
  batchTxs?: number;
  /** true: a bulk load; false: never; unset: a bulk load when the input is a whole chain (see {@link wantsBulk}). */
  bulk?: boolean;
}

/** Input from which `ingest` loads in bulk unless told: 64 MiB (about 40 mainnet blocks of today, or 400,000 generated transactions). */
export const BULK_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Whether an ingest is a bulk load: as told; else when one is under way in the store (this ingest finishes it), or
 * when the input is at least BULK_MIN_BYTES and at least half the size of the store (building the indexes again
 * costs in proportion to the whole store, so a store many times the input takes the input's rows one by one).
 */
export function wantsBulk(told: boolean | undefined, underWay: boolean, inputBytes: number, storeBytes: number): boolean {
  if (told !== undefined) return told || underWay;
  return underWay || (inputBytes >= BULK_MIN_BYTES && inputBytes * 2 >= storeBytes);
}

/** `ctrace ingest <files...>`: decode files of any supported format into the case store. */
export async function ingest(ctx: CommandContext, opts: IngestOptions): Promise<number> {
  if (opts.chain) getChain(opts.chain);
  const format = opts.format ? parseInputFormat(opts.format) : undefined;
  const files = expandInputPaths(opts.files);
  // Refuse a missing or empty file before creating or touching the store.
  for (const f of files) checkInputFile(f);
  const sizes = files.map((f) => statSync(f).size);
  const inputBytes = sizes.reduce((a, b) => a + b, 0);
  const bar = progressBar(ctx.io, 'ingest');
  const store = openSqliteStore(ctx.db, { create: true, onWait: waitNote(ctx), bulkLoad: true, onBulkStep: (step) => bar.update(1, 1, step) });
  const underWay = bulkLoadState(store.db) !== null;
  const bulk = wantsBulk(opts.bulk, underWay, inputBytes, storeBytes(ctx.db));
  if (underWay) ctx.io.err(`note: finishing the bulk load into ${ctx.db} that stopped before it built its indexes\n`);
  let stop = false;
  const onSigint = () => {
    stop = true;
    ctx.io.err('\ninterrupt: finishing the current batch, then stopping\n');
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  const before = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
  let summary: IngestSummary;
  try {
    summary = await ingestFiles(store, files, {
      chain: opts.chain,
      format,
      batchTxs: opts.batchTxs,
      bulk,
      shouldStop: () => stop,
      onProgress: (p) => {
        const done = before[p.fileIndex] + p.bytesDone;
        bar.update(done, inputBytes, progressNote(p.blocks, p.transactions, done, inputBytes, (Date.now() - started) / 1000));
      },
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
  if (summary.bulkLoad) ctx.io.err(`note: loaded in bulk: ${summary.bulkLoad.indexes} indexes built at the end, ${summary.bulkLoad.resolvedInputs} inputs resolved to previous transactions stored after them\n`);
  const corrected = correctionsNote(summary.correctedInputs ?? []);
  if (corrected) ctx.io.err(`note: ${safeText(corrected)}\n`);
  if (summary.interrupted) {
    const finish = bulk ? ' (a bulk load: the store is not queryable until that run builds its indexes)' : '';
    ctx.io.err(`interrupted: everything above is committed; run the same command again to resume${finish}\n`);
    return 130;
  }
  return 0;
}

/** The progress bar's note: blocks and transactions stored, their rate, and the time left at that rate. */
function progressNote(blocks: number, txs: number, bytesDone: number, bytesTotal: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(txs / seconds) : 0;
  const left = bytesDone > 0 && bytesDone < bytesTotal ? (seconds * (bytesTotal - bytesDone)) / bytesDone : 0;
  const eta = left >= 60 ? `${Math.floor(left / 60)} min ${Math.round(left % 60)} s` : `${Math.round(left)} s`;
  return `${blocks} blocks, ${txs} txs, ${rate.toLocaleString('en')} tx/s, ${eta} left`;
}

function storeBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
