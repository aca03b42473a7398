import type { Db } from '../store/sqlite/open.js';

/**
 * Transactions a watch stores between its WAL checkpoints, at most (about 4 blocks of 3,000; at 10^6 a block of
 * 3,000 adds some 150 MB of pages to the WAL).
 */
export const WATCH_CHECKPOINT_TXS = 12_000;

/** A watch's WAL checkpoints (walCheckpoints). */
export interface WalCheckpoints {
  /** After a block's alerts are delivered: checkpoint once `WATCH_CHECKPOINT_TXS` transactions are stored since the last. */
  stored(transactions: number): void;
  /** Checkpoint now if anything was stored since the last (the watch caught up with the tip, or stops). */
  flush(): void;
  /** The connection's automatic checkpoints as they were, after a last flush. */
  end(): void;
}

/**
 * Checkpoints of the WAL between a watch's blocks instead of inside their commits. SQLite checkpoints by default
 * in the commit that takes the WAL past 1,000 pages, so every block's commit also copied its pages into the store
 * (a block of 3,000 against a 10^6 store dirties some 35,000 index pages). Here the connection's automatic
 * checkpoints are off; the watch checkpoints (PASSIVE, as the automatic one) after a block's alerts are delivered,
 * once every few blocks, so a page dirtied by several blocks (an index's inner pages, the tables' last pages) is
 * copied once, and no block's lag waits for a checkpoint. A crash loses nothing: what is in the WAL is committed.
 * @example const wal = walCheckpoints(store.db); ... wal.stored(txs.length); ... wal.end();
 */
export function walCheckpoints(db: Db, every = WATCH_CHECKPOINT_TXS): WalCheckpoints {
  const automatic = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  let since = 0;
  let any = false;
  const flush = () => {
    if (!any) return;
    db.pragma('wal_checkpoint(PASSIVE)');
    since = 0;
    any = false;
  };
  return {
    stored(transactions) {
      since += transactions;
      any = true;
      if (since >= every) flush();
    },
    flush,
    end() {
      flush();
      db.pragma(`wal_autocheckpoint = ${automatic}`);
    },
  };
}
