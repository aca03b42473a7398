import { CtraceError, type UtxoTransaction, type WatchEntry, getChain } from '@cryptotrace/core';
import type { ChainSource, SourceRecords } from '../sources/source.js';
import { missingParents } from '../fetch/parents.js';
import { createBlockWaker } from '../notify/block-waker.js';
import { updateClusters } from '../store/sqlite/clusters-run.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import { accountBlockReader } from './account-block.js';
import { type WatchAlert, retraction } from './alert.js';
import { evaluateAccountBlock } from './evaluate-account.js';
import { evaluateBlock, seedMembers } from './evaluate.js';
import { createWatchLedger } from './ledger.js';
import { rollbackAbove } from './rollback.js';
import { rollbackAccountAbove } from './rollback-account.js';
import { type WalCheckpoints, walCheckpoints } from './wal-checkpoints.js';

export interface RunWatchOptions {
  chain: string;
  entries: readonly WatchEntry[];
  /** Evaluate only blocks this many deep below the tip (0: the tip itself). */
  confirmations?: number;
  /** Where a new watch starts (default: the tip less confirmations; a watch that ran before resumes where it stopped). */
  from?: number;
  /** Catch up to the tip and return. */
  once?: boolean;
  /** Seconds between looks at the tip. */
  pollSeconds?: number;
  /** Checked between blocks: true stops the watch after the block in hand is committed. */
  shouldStop?: () => boolean;
  /** Called with the alerts of each block, once they are committed (deliver them here). */
  onAlerts?: (alerts: WatchAlert[]) => Promise<void> | void;
  onProgress?: (p: WatchProgress) => void;
  /** A line for stderr: a reorg, a source that went away. */
  onNotice?: (message: string) => void;
  /** The time recorded as the watch's last update and in provenance (ISO-8601). */
  now?: () => string;
  sleep?: (ms: number, shouldStop: () => boolean) => Promise<void>;
}

export interface WatchProgress {
  height: number;
  tip: number;
  blocks: number;
  alerts: number;
  reorgs: number;
}

export interface WatchSummary extends WatchProgress {
  retracted: number;
  interrupted: boolean;
}

/** The page cache of the watch's connection, in KiB (set for as long as the connection stays open). */
const WATCH_CACHE_KB = 262_144;

/**
 * Follow a chain to its tip: each new block is stored (a UTXO block with the parents its inputs need), the clusters are
 * updated, the watch rules evaluated, and its alerts recorded in the transaction that advances the watch, so that a
 * restart after a crash neither loses nor repeats an alert. A block whose parent is not the watch's tip is a reorg:
 * the store is rolled back to the fork point, each alert of an orphaned block is followed by a `retracted` alert,
 * and the new branch is followed.
 * The store's connection keeps a 256 MB page cache from then on; while the watch runs, its WAL is checkpointed
 * between blocks, every few blocks (walCheckpoints), not in a block's commit.
 * Account chains are read through an EVM JSON-RPC source and evaluated by `evaluateAccountBlock`.
 * @throws CtraceError USAGE for an account chain without an EVM JSON-RPC source; source errors as the source raises them
 */
export async function runWatch(store: SqliteStore, source: ChainSource, o: RunWatchOptions): Promise<WatchSummary> {
  const wal = walCheckpoints(store.db);
  try {
    return await followChain(store, source, o, wal);
  } finally {
    wal.end();
  }
}

async function followChain(store: SqliteStore, source: ChainSource, o: RunWatchOptions, wal: WalCheckpoints): Promise<WatchSummary> {
  const chain = getChain(o.chain);
  const account = chain.kind === 'account';
  const readAccountBlock = account ? accountBlockReader(source, chain) : null;
  const ledger = createWatchLedger(store.db);
  // A block's work touches more index pages than the store's default page cache holds (64 MB): with 256 MB the
  // bench's blocks of 3,000 against a 10^6 store took a fifth less time and CPU.
  store.db.pragma(`cache_size = -${WATCH_CACHE_KB}`);
  const confirmations = o.confirmations ?? 0;
  const now = o.now ?? (() => new Date().toISOString());
  const stop = o.shouldStop ?? (() => false);
  const sleep = o.sleep ?? createBlockWaker().sleep;
  const summary: WatchSummary = { height: 0, tip: 0, blocks: 0, alerts: 0, reorgs: 0, retracted: 0, interrupted: false };
  const getBlock = async (h: number): Promise<SourceRecords> => {
    const r = readAccountBlock ? await readAccountBlock(h) : await source.getBlock(h);
    if (!r.blocks?.length) throw new CtraceError('SOURCE_INVALID', `${source.locator}: block ${h} came without its header`);
    return r;
  };
  const provenance = { source: source.kind, locator: source.locator, format: source.format };

  let state = ledger.state(chain.name);
  if (!state) {
    const tip = await source.tipHeight();
    const start = (o.from ?? tip - confirmations + 1) - 1;
    const hash = start >= 0 ? (await getBlock(start)).blocks![0].hash : '';
    store.db.transaction(() => {
      seedMembers(store, chain.name, o.entries, -1);
      ledger.setState(chain.name, start, hash, now());
    })();
    state = ledger.state(chain.name)!;
  }
  summary.height = state.height;

  for (;;) {
    const tip = await source.tipHeight();
    summary.tip = tip;
    while (state.height < tip - confirmations && !stop()) {
      const h = state.height + 1;
      const records = await getBlock(h);
      const header = records.blocks![0];
      if (state.hash !== '' && header.prevHash !== state.hash) {
        // A reorg: walk back to the last block both branches share.
        let fork = state.height - 1;
        let forkHash = '';
        for (; fork >= 0; fork--) {
          const stored = store.getBlock(chain.name, fork);
          forkHash = (await getBlock(fork)).blocks![0].hash;
          if (!stored || forkHash === stored.hash) break;
        }
        if (fork < 0) forkHash = '';
        const retracted: WatchAlert[] = [];
        store.db.transaction(() => {
          for (const a of ledger.alertsAbove(chain.name, fork)) {
            const r = retraction(a, header.hash);
            ledger.markRetracted(a.id);
            if (ledger.record({ ...r, height: h, block: header.hash })) retracted.push(r);
          }
          (account ? rollbackAccountAbove : rollbackAbove)(store, chain.name, fork);
          ledger.setState(chain.name, fork, forkHash, now());
        })();
        summary.reorgs++;
        summary.retracted += retracted.length;
        o.onNotice?.(`reorg: blocks ${fork + 1} to ${state.height} left the best chain; rolled back to ${fork} and following the new branch (${retracted.length} alerts retracted)`);
        state = ledger.state(chain.name)!;
        wal.stored(0);
        if (retracted.length) await o.onAlerts?.(retracted);
        continue;
      }
      const txs = (records.utxoTransactions ?? []) as UtxoTransaction[];
      const parents = await fetchParents(store, source, chain.name, txs);
      const fresh: WatchAlert[] = [];
      // One SQLite transaction a block: a commit writes every page its work touched, and the block's write, its
      // cluster update and its rules touch many of the same pages.
      try {
        store.db.transaction(() => {
          for (const p of parents) store.write({ provenance: { ...provenance, at: now() }, ...p });
          store.write({ provenance: { ...provenance, at: now() }, ...records });
          updateClusters(store, { chain: chain.name });
          const block = { chain: chain.name, hash: header.hash, height: h, time: header.time };
          const alerts = account ? evaluateAccountBlock(store, block, o.entries, records.accountTransactions ?? []) : evaluateBlock(store, block, o.entries, txs.map((t) => t.txid));
          for (const a of alerts) if (ledger.record(a)) fresh.push(a);
          ledger.setState(chain.name, h, header.hash, now());
        })();
      } catch (err) {
        // Rolled back whole: the ids the block's writes handed out are free again.
        store.forget();
        throw err;
      }
      state = ledger.state(chain.name)!;
      summary.height = h;
      summary.blocks++;
      summary.alerts += fresh.length;
      if (fresh.length) await o.onAlerts?.(fresh);
      o.onProgress?.({ height: h, tip, blocks: summary.blocks, alerts: summary.alerts, reorgs: summary.reorgs });
      wal.stored(parents.length + txs.length + (records.accountTransactions?.length ?? 0));
    }
    if (stop()) {
      summary.interrupted = true;
      return summary;
    }
    if (o.once) return summary;
    wal.flush();
    await sleep((o.pollSeconds ?? 10) * 1000, stop);
    if (stop()) {
      summary.interrupted = true;
      return summary;
    }
  }
}

/** The previous transactions a block's inputs need that the store does not hold (values known, claims checked). */
async function fetchParents(store: SqliteStore, source: ChainSource, chain: string, txs: UtxoTransaction[]): Promise<SourceRecords[]> {
  const out: SourceRecords[] = [];
  for (const p of missingParents(store, chain, txs)) out.push(await source.getTransaction(p));
  return out;
}
