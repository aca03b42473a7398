import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalDump, openInput, openSqliteStore, readBlkFrames } from '@cryptotrace/adapters';
import { CLI, ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

/**
 * The bulk path (`ingest --bulk`: secondary indexes dropped, inputs resolved and indexes built once at the end)
 * must give the same store as the case path (every batch queryable), and survive kill -9 at any moment: the same
 * command run again gives the same store as an uninterrupted load, never a half-indexed or duplicated one.
 */

/**
 * The canonical dump with provenance times blanked: they differ by run, and a resumed load has stored its file in
 * two runs (two provenance rows that differ only in time).
 */
function dumpOf(db: string): string {
  const s = openSqliteStore(db, { readonly: true });
  try {
    const lines = [...canonicalDump(s.db)].map((l) => l.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'AT'));
    return lines.filter((l, k) => !l.startsWith('provenance ') || l !== lines[k - 1]).join('\n');
  } finally {
    s.close();
  }
}

function integrity(db: string): string {
  const s = openSqliteStore(db, { readonly: true });
  try {
    return s.db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    s.close();
  }
}

/** Rows in txs and whether a bulk load is recorded (opened as the ingest that finishes it opens it). */
function peek(db: string): { txs: number; underWay: boolean } {
  try {
    const s = openSqliteStore(db, { readonly: true, bulkLoad: true });
    const d = s.db;
    try {
      const txs = d.prepare('SELECT count(*) FROM txs').pluck().get() as number;
      const underWay = (d.prepare('SELECT count(*) FROM bulk_loads').pluck().get() as number) > 0;
      return { txs, underWay };
    } finally {
      s.close();
    }
  } catch {
    return { txs: 0, underWay: false };
  }
}

function ingest(db: string, files: string[], ...flags: string[]) {
  const r = ctrace(['--db', db, 'ingest', ...flags, ...files]);
  expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
  expect(r.code).toBe(0);
  return r;
}

describe('bulk load of a generated chain', () => {
  const dir = tempDir('ctrace-bulk-');
  const world = join(dir, 'world');
  let halves: string[] = [];
  let total = 0;
  beforeAll(() => {
    const g = ctrace(['generate', 'darknet-market', '--txs', '30000', '--seed', '4', '--block-txs', '150', '--out', world, '--no-model']);
    expect(g.code).toBe(0);
    // The chain in two blk files, the later blocks first: inputs arrive before their previous transactions.
    const blk = join(world, 'blk00000.dat');
    const input = openInput(blk);
    const frames = [...readBlkFrames((o, n) => input.readAt(o, n), input.size, blk)];
    input.close();
    const frame = (bytes: Uint8Array) => {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(bytes.length);
      return Buffer.concat([Buffer.from(readFileSync(blk).subarray(0, 4)), len, Buffer.from(bytes)]);
    };
    const half = frames.length >> 1;
    const late = join(dir, 'late.dat');
    const early = join(dir, 'early.dat');
    writeFileSync(late, Buffer.concat(frames.slice(half).map((f) => frame(f.bytes))));
    writeFileSync(early, Buffer.concat(frames.slice(0, half).map((f) => frame(f.bytes))));
    halves = [late, early];
    total = 30000;
  }, 120_000);

  it('gives the same store as the case path, in order and out of order', () => {
    const inOrder = [join(world, 'blk00000.dat')];
    const a = join(dir, 'case.db');
    const b = join(dir, 'bulk.db');
    ingest(a, inOrder, '--no-bulk');
    const r = ingest(b, inOrder, '--bulk');
    expect(r.stderr).toMatch(/loaded in bulk: 7 indexes built at the end/);
    expect(dumpOf(b)).toBe(dumpOf(a));
    expect(integrity(b)).toBe('ok');

    const c = join(dir, 'case-reversed.db');
    const d = join(dir, 'bulk-reversed.db');
    ingest(c, halves, '--no-bulk');
    const rd = ingest(d, halves, '--bulk');
    // The later half's inputs that spend the earlier half waited for it: the case path resolved them as it came,
    // the bulk path in one statement at its end.
    const resolvedAtEnd = Number(/(\d+) inputs resolved to previous transactions stored after them/.exec(rd.stderr)?.[1]);
    expect(resolvedAtEnd).toBeGreaterThan(100);
    expect(dumpOf(d)).toBe(dumpOf(c));
    const stats = JSON.parse(ctrace(['--db', d, '--json', 'stats']).stdout) as { transactions: number; unresolvedInputs: number };
    expect(stats).toMatchObject({ transactions: total, unresolvedInputs: 0 });
  }, 180_000);

  it('a directory stands for its blk*.dat files', () => {
    const db = join(dir, 'dir.db');
    const r = ctrace(['--db', db, '--json', 'ingest', '--bulk', world]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ transactions: total, files: [{ path: join(world, 'blk00000.dat') }] });
    const empty = ctrace(['--db', join(dir, 'none.db'), 'ingest', dir + '/nothing-here']);
    expect(empty.code).toBe(2);
    const noBlk = ctrace(['--db', join(dir, 'none.db'), 'ingest', join(world, 'truth')]);
    expect(noBlk.code).toBe(2);
    expect(noBlk.stderr.trim().split('\n')).toHaveLength(1);
    expect(noBlk.stderr).toMatch(/is a directory without blk\*\.dat files/);
  }, 60_000);

  /**
   * kill -9 when `when` says so (polled from the store file with plain SQLite), then: other commands refuse the
   * store in one line, and the same command again gives the uninterrupted store. A machine that finishes before the
   * moment comes gives no kill: it tries again on a fresh store, up to five times.
   */
  async function killAt(name: string, when: (p: { txs: number; underWay: boolean }) => boolean): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const db = join(dir, `${name}-${attempt}.db`);
      const child = spawn(process.execPath, [CLI, '--db', db, 'ingest', '--bulk', '--batch-txs', '150', ...halves], { stdio: ['ignore', 'ignore', 'ignore'] });
      let exited = false;
      const exit = new Promise<void>((r) => child.on('exit', () => ((exited = true), r())));
      let hit = false;
      while (!exited) {
        await new Promise((r) => setTimeout(r, 2));
        if (when(peek(db))) {
          child.kill('SIGKILL');
          hit = true;
          break;
        }
      }
      await exit;
      if (!hit) continue;
      return db;
    }
    throw new Error(`${name}: the ingest always finished before the moment to kill it came`);
  }

  const moments: [string, (p: { txs: number; underWay: boolean }) => boolean][] = [
    ['at the start', (p) => p.underWay],
    ['a third in', (p) => p.underWay && p.txs >= total / 3],
    ['with every batch written (building the indexes)', (p) => p.underWay && p.txs === total],
  ];
  it.each(moments)('kill -9 %s, then the same command: the same store', async (name, when) => {
    const reference = join(dir, 'bulk-reference.db');
    if (peek(reference).txs === 0) ingest(reference, halves, '--bulk');
    const db = await killAt(name.replace(/\W+/g, '-'), when);
    const left = peek(db);
    if (left.underWay) {
      const refused = ctrace(['--db', db, 'stats']);
      expect(refused.code).toBe(4);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/bulk load into it .* stopped before it built its indexes: run the same "ctrace ingest" again/);
    }
    const again = ingest(db, halves, '--bulk', '--batch-txs', '150');
    if (left.underWay) expect(again.stderr).toMatch(/finishing the bulk load/);
    expect(integrity(db)).toBe('ok');
    expect(dumpOf(db)).toBe(dumpOf(reference));
  }, 180_000);
});

describe.skipIf(!hasShared('data/bitcoin/raw-blocks'))(needs('data/bitcoin/raw-blocks', 'bulk load of real blocks'), () => {
  it('gives the same store as the case path', () => {
    const dir = tempDir('ctrace-bulk-real-');
    const golden = 'data/bitcoin/core-getblock';
    const files = [
      shared('data/bitcoin/raw-blocks/btcd-blocks1-256.bz2'),
      shared('data/bitcoin/raw-blocks/block413567.raw'),
      ...readdirSync(shared(golden)).filter((n) => n.endsWith('.hex')).sort().map((n) => shared(`${golden}/${n}`)),
    ];
    const a = join(dir, 'case.db');
    const b = join(dir, 'bulk.db');
    ingest(a, files, '--no-bulk');
    ingest(b, files, '--bulk');
    const dump = dumpOf(b);
    expect(dump).toBe(dumpOf(a));
    expect(dump.split('\n').filter((l) => l.startsWith('tx ')).length).toBeGreaterThan(2000);
  }, 180_000);
});

describe('a store of the schema before the bulk load (8)', () => {
  it('migrates in place and answers every command as before', () => {
    const dir = tempDir('ctrace-old-store-');
    const db = join(dir, 'case.db');
    const market = 'bcrt1qvxfn8p7qg4f5fprd9gd5q89c47k45lh7lksyyw';
    const payout = '3d06cbbf24607b2efe308617c67f5fa1199144dbb7586148aa6af3f899e18ed0';
    ingest(db, ['fixtures/scenarios/darknet-market/blk00000.dat'], '--no-bulk');
    expect(ctrace(['--db', db, 'labels', 'import', 'fixtures/scenarios/darknet-market/labels.csv']).code).toBe(0);
    expect(ctrace(['--db', db, 'cluster', 'rebuild']).code).toBe(0);
    const commands = [
      ['stats'], ['show', 'tx', payout], ['show', 'address', market], ['cluster', market], ['trace', market, '--hops', '4', '--as-of', '2027-01-01T00:00:00Z'],
      ['suspects', '--source', 'darknet_market', '--as-of', '2027-01-01T00:00:00Z'], ['cluster', 'guards'], ['labels', 'list'],
    ];
    const answers = () => commands.map((c) => {
      const r = ctrace(['--db', db, '--json', ...c]);
      return { command: c.join(' '), code: r.code, stdout: r.stdout };
    });
    const before = answers();
    // Schema 8 is today's without bulk_loads (9) and watch_holdings (10): make the store what the release before wrote.
    const s = openSqliteStore(db);
    const latest = s.db.pragma('user_version', { simple: true });
    s.db.exec('DROP TABLE bulk_loads; DROP TABLE watch_holdings');
    s.db.pragma('user_version = 8');
    s.close();
    const after = answers();
    expect(after).toEqual(before);
    expect(before.every((a) => a.code === 0)).toBe(true);
    const migrated = openSqliteStore(db, { readonly: true });
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(latest);
    migrated.close();
  }, 120_000);
});
