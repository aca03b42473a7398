import { type RealismCounts, realismTally } from '@cryptotrace/core';
import { ingestFiles } from '../ingest/ingest-files.js';
import { openSqliteStore } from '../store/sqlite/store.js';

/** The realism statistics of block files, and how many transactions they hold. */
export interface FileRealism {
  chain: string;
  transactions: number;
  counts: RealismCounts;
}

/**
 * Tally the realism statistics of block files (any format `ingest` reads). They are ingested into a store in
 * memory, so that inputs are resolved where the files hold their previous outputs and derived from their spending
 * data where not, exactly as a case store sees them.
 * @throws CtraceError INPUT_UNREADABLE, INPUT_MALFORMED when a file is not block data
 * @example (await tallyFiles(['blk00000.dat'])).counts.segwit
 */
export async function tallyFiles(paths: string[], options: { chain?: string } = {}): Promise<FileRealism> {
  const store = openSqliteStore(':memory:', { create: true });
  try {
    await ingestFiles(store, paths, { chain: options.chain, at: '1970-01-01T00:00:00.000Z' });
    const chains = store.stats().chains;
    const tally = realismTally();
    for (const chain of chains) for (const tx of store.iterateUtxoTransactions(chain)) tally.add(tx);
    return { chain: chains.join(','), transactions: tally.transactions, counts: tally.counts() };
  } finally {
    store.close();
  }
}
