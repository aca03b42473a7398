import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapters, adaptersDist } from '../adapters.js';
import type { Db } from '../deps.js';
import { timed } from '../measure.js';

/** Rows of each table that ingest fills, counted from the store itself. */
export function countRows(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['provenance', 'addresses', 'blocks', 'txs', 'outputs', 'inputs']) {
    out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

export function sumRows(rows: Record<string, number>): number {
  return Object.values(rows).reduce((a, b) => a + b, 0);
}

/**
 * `ingestFiles` of a chain's blk files into a fresh store (`bulk`: the bulk path, its indexes built at the end, in
 * the time): decode, classify, resolve prevouts, write. The adapters
 * load bitcoinjs-lib on first use (so that commands which never decode start faster); it is loaded here before the
 * clock, as the adapters and better-sqlite3 are for both sides, so that the figure is the ingest's, not a module load's.
 */
export async function ingestCase(params: { blks: string[]; keep?: string; bulk?: boolean }): Promise<Record<string, unknown>> {
  const { ingestFiles, openSqliteStore } = await adapters();
  createRequire(join(adaptersDist(), 'index.js'))('bitcoinjs-lib');
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  // A kept store is written under another name and renamed once complete: a run stopped mid-ingest must not leave a
  // partial store that a later run (which reuses a kept store) would measure.
  const path = params.keep ? `${params.keep}.partial` : join(dir, 'case.db');
  for (const p of params.keep ? [path, params.keep] : [path]) for (const suffix of ['', '-wal', '-shm']) rmSync(`${p}${suffix}`, { force: true });
  try {
    const store = openSqliteStore(path, { create: true });
    const { seconds, cpuSeconds, value } = await timed(() => ingestFiles(store, params.blks, { at: '2026-01-01T00:00:00.000Z', bulk: params.bulk === true }));
    const rows = countRows(store.db);
    const unresolved = (store.db.prepare('SELECT count(*) AS n FROM inputs WHERE resolved = 0').get() as { n: number }).n;
    store.close();
    if (params.keep) renameSync(path, params.keep);
    const total = sumRows(rows);
    return {
      seconds,
      cpuSeconds,
      transactions: value.transactions,
      rows: total,
      rowsByTable: rows,
      unresolvedInputs: unresolved,
      txPerSec: value.transactions / seconds,
      rowsPerSec: total / seconds,
      inputMb: params.blks.reduce((s, b) => s + statSync(b).size, 0) / 1e6,
      dbMb: statSync(params.keep ?? path).size / 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
