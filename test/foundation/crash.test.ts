import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInput, openSqliteStore } from '@cryptotrace/adapters';
import { CLI, ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const GOLDEN = 'data/bitcoin/core-getblock';
const RAW = 'data/bitcoin/raw-blocks/block413567.raw';
const MAINNET_MAGIC = Buffer.from('f9beb4d9', 'hex');

/** One blk*.dat-framed file of real mainnet blocks: the Core pairs' hex blocks, block 413,567 and blocks 1 to 255. */
function bigBlkFile(dir: string): { path: string; blocks: number } {
  const frames: Buffer[] = [];
  const frame = (block: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(block.length);
    frames.push(MAINNET_MAGIC, len, block);
  };
  const hexBlocks = readdirSync(shared(GOLDEN)).filter((n) => n.endsWith('.hex')).sort();
  for (const f of hexBlocks) frame(Buffer.from(readFileSync(shared(`${GOLDEN}/${f}`), 'utf8').trim(), 'hex'));
  frame(readFileSync(shared(RAW)));
  frames.push(Buffer.from(openInput(shared(PEEL)).all()));
  const path = join(dir, 'blk00000.dat');
  writeFileSync(path, Buffer.concat(frames));
  return { path, blocks: hexBlocks.length + 1 + 255 };
}

/** Blocks, transactions with inputs and outputs, and addresses, without the provenance ids that differ by run. */
function content(s: ReturnType<typeof openSqliteStore>) {
  return {
    blocks: s.db.prepare('SELECT chain, hash, height, prev_hash, merkle_root, time, version, bits, nonce, tx_count FROM blocks ORDER BY chain, hash').all(),
    addresses: s.db.prepare('SELECT * FROM addresses ORDER BY id').all(),
    txs: JSON.stringify([...s.iterateUtxoTransactions('bitcoin')], (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
  };
}

function blockCount(db: string): number {
  try {
    const s = openSqliteStore(db, { readonly: true });
    try {
      return s.stats().blocks;
    } finally {
      s.close();
    }
  } catch {
    return 0;
  }
}

/**
 * Start an ingest and send it `signal` as soon as some blocks are committed. A machine fast enough to finish the
 * whole file between two polls gives no interruption: then it tries again on a fresh store, up to five times.
 */
async function interruptMidIngest(dir: string, file: string, signal: NodeJS.Signals): Promise<{ db: string; atSignal: number; code: number | null; stderr: string }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const db = join(dir, `${signal.toLowerCase()}-${attempt}.db`);
    const child = spawn(process.execPath, [CLI, '--db', db, 'ingest', '--batch-txs', '1', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let exited = false;
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => ((exited = true), r(code))));
    let atSignal = 0;
    while (!exited && atSignal < 3) {
      await new Promise((r) => setTimeout(r, 5));
      atSignal = blockCount(db);
    }
    if (exited) continue;
    child.kill(signal);
    const code = await exit;
    return { db, atSignal, code, stderr };
  }
  throw new Error('the ingest finished before it could be interrupted, five times');
}

const ALL = [PEEL, GOLDEN, RAW];
describe.skipIf(!ALL.every(hasShared))(needs(RAW, 'crash safety: kill -9 mid-ingest, then resume'), () => {
  it('behavior: every committed block is whole, the store is consistent, and a re-run gives the one-shot store', async () => {
    const dir = tempDir();
    const { path: file, blocks } = bigBlkFile(dir);
    const reference = join(dir, 'reference.db');
    expect(ctrace(['--db', reference, 'ingest', '--batch-txs', '1', file]).code).toBe(0);
    const total = blockCount(reference);
    expect(total).toBe(blocks);

    const { db, atSignal: atKill } = await interruptMidIngest(dir, file, 'SIGKILL');
    const s = openSqliteStore(db, { readonly: true });
    const committed = s.stats().blocks;
    expect(committed).toBeGreaterThanOrEqual(atKill);
    expect(committed).toBeLessThan(total); // killed mid-way, not after the end
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Each block is one batch: a committed block has all of its transactions, inputs and outputs.
    const partial = s.db.prepare(`SELECT b.hash FROM blocks b LEFT JOIN txs t ON t.block_hash = b.hash AND t.chain = b.chain
      GROUP BY b.chain, b.hash HAVING count(t.id) <> b.tx_count`).all();
    expect(partial).toEqual([]);
    const orphans = s.db.prepare('SELECT count(*) FROM outputs o LEFT JOIN txs t ON t.id = o.tx_id WHERE t.id IS NULL').pluck().get();
    expect(orphans).toBe(0);
    s.close();

    const resumed = ctrace(['--db', db, '--json', 'ingest', '--batch-txs', '1', file]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).blocks).toBe(total - committed);
    const a = openSqliteStore(db, { readonly: true });
    const b = openSqliteStore(reference, { readonly: true });
    // Same content: the two runs differ only in their provenance (the time of each run).
    expect(content(a)).toEqual(content(b));
    a.close();
    b.close();
  });

  it('behavior: Ctrl-C stops at a batch boundary with exit 130 and a note on resuming', async () => {
    const dir = tempDir();
    const { path: file, blocks } = bigBlkFile(dir);
    const { db, code, stderr } = await interruptMidIngest(dir, file, 'SIGINT');
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: everything above is committed; run the same command again to resume/);
    const committed = blockCount(db);
    expect(committed).toBeLessThan(blocks);
    const resumed = ctrace(['--db', db, '--json', 'ingest', file]);
    expect(JSON.parse(resumed.stdout).blocks).toBe(blocks - committed);
  });
});
