import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDb } from '../store/sqlite/open.js';
import { walCheckpoints } from './wal-checkpoints.js';

// A real store file in WAL mode: what a checkpoint does shows in the size of the store file itself (pages copied
// from the WAL into it).
describe('walCheckpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('behavior: the WAL is copied into the store only once `every` transactions are stored, on flush, and at the end; the automatic checkpoints come back', () => {
    const path = join(dir, 'store.db');
    const db = openDb(path, { create: true });
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const size = () => statSync(path).size;
    const insert = db.prepare('INSERT INTO filler (body) VALUES (randomblob(4000))');
    // A "block" of 2,000 pages: past the 1,000 at which SQLite would checkpoint by itself in the commit.
    const block = db.transaction(() => {
      for (let k = 0; k < 2000; k++) insert.run();
    });
    const wal = walCheckpoints(db, 3);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const empty = size();
    block();
    wal.stored(1);
    block();
    wal.stored(1);
    expect(size(), 'two blocks: still only in the WAL').toBe(empty);
    block();
    wal.stored(1);
    const third = size();
    expect(third, 'the third: checkpointed').toBeGreaterThan(empty + 3 * 2000 * 4000);
    block();
    wal.stored(1);
    expect(size()).toBe(third);
    wal.flush();
    const flushed = size();
    expect(flushed).toBeGreaterThan(third);
    wal.flush();
    block();
    wal.stored(1);
    expect(size(), 'one block after a flush: only in the WAL').toBe(flushed);
    wal.end();
    expect(size(), 'end: the last block checkpointed').toBeGreaterThan(flushed);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
