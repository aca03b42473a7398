import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqliteStore, ingestFiles, openSqliteStore, storeFault } from '@cryptotrace/adapters';
import { ctrace, tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { dump } from '../support/store.js';

// Faults of the machine, not of the data: a store another process holds locked, a read-only store, a full disk.
// Each is one line naming the store, the cause and what to do, exit 4, and the store is left as it was.
const LABELS = 'chain,address,category,source,confidence\nbitcoin,1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA,market,me,90\n';
const isRoot = process.getuid?.() === 0;

/** A small generated world, ingested: a real store with real blocks. */
function world(dir: string, seed = '1'): { db: string; blk: string } {
  const out = join(dir, `world${seed}`);
  expect(ctrace(['generate', 'darknet-market', '--txs', '300', '--seed', seed, '--out', out, '--no-model']).code).toBe(0);
  const db = join(dir, 'case.db');
  expect(ctrace(['--db', db, 'ingest', join(out, 'blk00000.dat')]).code).toBe(0);
  return { db, blk: join(out, 'blk00000.dat') };
}

describe('a store locked by another writer', () => {
  let dir: string;
  let db: string;
  let holder: SqliteStore['db'];
  beforeAll(() => {
    dir = tempDir();
    ({ db } = world(dir));
    writeFileSync(join(dir, 'labels.csv'), LABELS);
  });
  afterAll(() => void (holder?.open && holder.close()));

  /** Another process's write transaction, held until released (BEGIN IMMEDIATE takes the write lock). */
  const hold = () => {
    holder = openSqliteStore(db).db;
    holder.exec('BEGIN IMMEDIATE');
    holder.prepare("INSERT INTO provenance (source, locator, format, at) VALUES ('other', 'writer', 'test', 'now') ON CONFLICT DO NOTHING").run();
  };

  it('behavior: a writer (fetch) waits for the lock, says so in one line, and goes on once it is released', async () => {
    hold();
    let released = false;
    const r = await ctraceAsync(['--db', db, 'fetch', 'bitcoin-regtest', 'blocks', '1', '2', '--offline'], {
      env: { CTRACE_BUSY_TIMEOUT_MS: '600000' },
      onSpawn: (child) => child.stderr?.on('data', (d: Buffer) => {
        // The fetch is waiting now: the other writer commits.
        if (!released && String(d).includes('is locked by another process')) {
          released = true;
          holder.exec('COMMIT');
          holder.close();
        }
      }),
    });
    expect(released).toBe(true);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`note: ${db} is locked by another process writing to it; waiting up to 600000 ms for it (CTRACE_BUSY_TIMEOUT_MS)\n`);
    expect(r.stdout).toMatch(/^fetched from the store only \(--offline\)/);
  });

  it('error: a writer (labels import) still locked out after the busy timeout: one line, exit 4, nothing written', async () => {
    hold();
    const before = dump(openSqliteStore(db, { readonly: true }));
    const r = await ctraceAsync(['--db', db, 'labels', 'import', join(dir, 'labels.csv')], { env: { CTRACE_BUSY_TIMEOUT_MS: '100' } });
    holder.exec('ROLLBACK');
    holder.close();
    expect(r.code).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `note: ${db} is locked by another process writing to it; waiting up to 100 ms for it (CTRACE_BUSY_TIMEOUT_MS)`,
      `ctrace: ${db} is locked by another process writing to it (an ingest, fetch, labels import or cluster run?) for longer than 100 ms; what was committed before is kept: run this again when that one has finished, or wait longer with CTRACE_BUSY_TIMEOUT_MS=<ms>`,
    ]);
    const store = openSqliteStore(db, { readonly: true });
    expect(dump(store)).toBe(before);
    expect(store.stats().labels).toBe(0);
    store.close();
  });
});

describe.skipIf(!isRoot && process.getuid === undefined)('a read-only store', () => {
  // As root, permissions do not bind: the binary runs as nobody (uid 65534), for whom the store is read-only.
  const as = isRoot ? { uid: 65534, gid: 65534 } : {};
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = tempDir();
    ({ db } = world(dir));
    writeFileSync(join(dir, 'labels.csv'), LABELS);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
  });
  afterAll(() => chmodSync(dir, 0o755));

  it('error: a read command (stats) there says the directory is read-only, exit 4', async () => {
    const r = await ctraceAsync(['--db', db, 'stats'], as);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toBe(`ctrace: ${db} is in a read-only directory, and SQLite must create the store's -wal and -shm files beside it even to read it: copy the store somewhere writable and point --db at the copy, or fix the directory's permissions\n`);
  });

  it.each([
    ['labels import', (d: string) => ['labels', 'import', join(d, 'labels.csv')]],
    ['fetch', () => ['fetch', 'bitcoin-regtest', 'blocks', '1', '2', '--offline']],
    ['cluster', () => ['cluster', 'rebuild', '--chain', 'bitcoin-regtest']],
  ])('error: %s on it is one line naming it read-only (not "not a store"), exit 4', async (_name, args) => {
    const r = await ctraceAsync(['--db', db, ...args(dir)], as);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toBe(`ctrace: ${db} cannot be written (read-only file, directory or file system; SQLite needs to write the store and its -wal and -shm files beside it); what was committed before is kept: fix the permissions, or copy the store somewhere writable and point --db at the copy\n`);
  });
});

describe('a full disk', () => {
  it('behavior: SQLITE_FULL mid-ingest (a real SQLite full condition: PRAGMA max_page_count caps the file) rolls the batch back; the fault is one line', async () => {
    const dir = tempDir();
    const { db } = world(dir);
    const other = join(dir, 'other');
    expect(ctrace(['generate', 'darknet-market', '--txs', '300', '--seed', '2', '--out', other, '--no-model']).code).toBe(0);
    const store = openSqliteStore(db);
    const before = dump(store);
    // Cap the file at its size now; another world's chain needs new pages.
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const err = await ingestFiles(store, [join(other, 'blk00000.dat')], { at: '2026-01-01T00:00:00Z' }).catch((e) => e);
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    const fault = storeFault(err, db);
    expect(fault?.code).toBe('STORE_FULL');
    expect(fault?.shortMessage).toBe(`${db}: the disk is full (or the store reached its size limit); the step that failed was rolled back and what was committed before is kept: free some space and run the same command again`);
    expect(dump(store)).toBe(before);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  // A real full file system, when this machine lets root mount a 2 MB tmpfs.
  const mnt = join(tempDir(), 'small');
  mkdirSync(mnt);
  const mounted = isRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]).status === 0;
  afterAll(() => void (mounted && spawnSync('umount', [mnt])));

  it.skipIf(!mounted)('error: ingest onto a full file system (a 2 MB tmpfs) is one line, exit 4; what was committed stays and the store opens', async () => {
    const { blk } = world(tempDir());
    const big = join(tempDir(), 'big');
    expect(ctrace(['generate', 'economy', '--txs', '20000', '--out', big, '--no-model']).code).toBe(0);
    const db = join(mnt, 'case.db');
    const r = await ctraceAsync(['--db', db, 'ingest', blk, join(big, 'blk00000.dat'), '--batch-txs', '200']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(new RegExp(`^ctrace: ${db}: the disk is full \\(or the store reached its size limit\\); the step that failed was rolled back and what was committed before is kept: free some space and run the same command again\\n$`));
    const store = openSqliteStore(db, { readonly: true });
    expect(store.stats().transactions).toBeGreaterThan(0);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
