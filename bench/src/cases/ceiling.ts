import { closeSync, mkdtempSync, openSync, readSync, rmSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapters, openDbOf } from '../adapters.js';
import type { UtxoTransaction } from '../../../packages/core/dist/index.js';
import { countRows, sumRows } from './ingest.js';
import { timedInserts } from './timed-inserts.js';

type Row = unknown[];

/**
 * The raw better-sqlite3 ceiling: the same rows as an ingest of the same file, into the same schema (the store's
 * migrations, opened with the store's pragmas), by prepared-statement inserts in transactions of the same size.
 * The rows are built from decoded blocks before the clock starts for each batch, so only the inserts are timed.
 */
export async function ceilingCase(params: { blks: string[]; batchTxs?: number }): Promise<Record<string, unknown>> {
  const batchTxs = params.batchTxs ?? 2000;
  const { decodeBlock, readBlkFrames } = await adapters();
  const openDb = await openDbOf();
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const db = openDb(join(dir, 'ceiling.db'), { create: true });
    const s = {
      provenance: db.prepare('INSERT INTO provenance (id, source, locator, format, at) VALUES (?, ?, ?, ?, ?)'),
      address: db.prepare('INSERT INTO addresses (id, chain, address) VALUES (?, ?, ?)'),
      block: db.prepare(`INSERT INTO blocks (chain, hash, height, prev_hash, merkle_root, time, version, bits, nonce, tx_count, provenance_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      tx: db.prepare(`INSERT INTO txs (id, chain, txid, block_hash, block_height, block_time, position, version, locktime, size, vsize, provenance_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      output: db.prepare('INSERT INTO outputs (tx_id, n, value, script_type, address_id) VALUES (?, ?, ?, ?, ?)'),
      input: db.prepare(`INSERT INTO inputs (tx_id, n, prev_txid, prev_vout, sequence, coinbase, address_id, value, resolved)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
    const addressIds = new Map<string, number>();
    // The value and holder of every output, so that input rows carry what a resolved input carries.
    const outpoints = new Map<string, [bigint, number | null]>();
    let txId = 0;
    const batch = { blocks: [] as Row[], addresses: [] as Row[], txs: [] as Row[], outputs: [] as Row[], inputs: [] as Row[] };
    let chain = 'bitcoin';
    const holderId = (h: string | null): number | null => {
      if (h === null) return null;
      let id = addressIds.get(h);
      if (id === undefined) {
        id = addressIds.size + 1;
        addressIds.set(h, id);
        batch.addresses.push([id, chain, h]);
      }
      return id;
    };
    const insertAll = db.transaction(() => {
      for (const r of batch.blocks) s.block.run(...r);
      for (const r of batch.addresses) s.address.run(...r);
      for (const r of batch.txs) s.tx.run(...r);
      for (const r of batch.outputs) s.output.run(...r);
      for (const r of batch.inputs) s.input.run(...r);
    });
    const clock = timedInserts(insertAll);
    const flush = () => {
      clock.run();
      for (const k of Object.keys(batch) as (keyof typeof batch)[]) batch[k] = [];
    };
    const addTx = (tx: UtxoTransaction, provenanceId: number) => {
      txId++;
      chain = tx.chain;
      const b = tx.block;
      batch.txs.push([txId, tx.chain, tx.txid, b?.hash ?? null, b?.height ?? null, b?.time ?? null, tx.position, tx.version, tx.locktime, tx.size, tx.vsize, provenanceId]);
      for (const o of tx.outputs) {
        const a = holderId(o.address ?? o.scriptId);
        batch.outputs.push([txId, o.index, o.value, o.scriptType, a]);
        if (o.scriptType !== 'nulldata') outpoints.set(`${tx.txid}:${o.index}`, [o.value, a]);
      }
      for (const i of tx.inputs) {
        const key = `${i.prevTxid}:${i.prevVout}`;
        const prev = i.coinbase ? undefined : outpoints.get(key);
        if (prev) outpoints.delete(key);
        batch.inputs.push([txId, i.index, i.prevTxid, i.prevVout, i.sequence, i.coinbase ? 1 : 0, prev?.[1] ?? null, prev?.[0] ?? null, i.coinbase || prev ? 1 : 0]);
      }
    };
    const t0 = process.hrtime.bigint();
    const heights = new Map<string, number>();
    let transactions = 0;
    for (const [k, blk] of params.blks.entries()) {
      s.provenance.run(k + 1, 'file', blk, 'blk', '2026-01-01T00:00:00.000Z');
      const fd = openSync(blk, 'r');
      const size = fstatSync(fd).size;
      const readAt = (offset: number, length: number) => {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        readSync(fd, buf, 0, buf.length, offset);
        return buf;
      };
      for (const frame of readBlkFrames(readAt, size, blk)) {
        const block = decodeBlock(frame.bytes, frame.chain, { where: blk, heightOf: (h) => heights.get(h) ?? null });
        const h = block.header;
        if (h.height !== null) heights.set(h.hash, h.height);
        batch.blocks.push([h.chain, h.hash, h.height, h.prevHash, h.merkleRoot, h.time, h.version, h.bits, h.nonce, h.txCount, k + 1]);
        for (const tx of block.transactions) addTx(tx, k + 1);
        transactions += block.transactions.length;
        if (batch.txs.length >= batchTxs) flush();
      }
      closeSync(fd);
    }
    flush();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const rows = countRows(db);
    db.close();
    const total = sumRows(rows);
    const { seconds, cpuSeconds } = clock;
    return { seconds, cpuSeconds, wallWithDecodeSeconds: wall, transactions, rows: total, rowsByTable: rows, txPerSec: transactions / seconds, rowsPerSec: total / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
