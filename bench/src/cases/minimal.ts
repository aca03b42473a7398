import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapters } from '../adapters.js';
import { Database } from '../deps.js';
import { timedInserts } from './timed-inserts.js';

type Row = unknown[];

/** Rows a transaction of the reference holds, as the issue states it. */
const ROWS_PER_COMMIT = 100_000;

/**
 * What the machine does: plain better-sqlite3 inserts of the same numbers of address, transaction, output and input
 * rows as an ingest of the same blk files, into minimal tables (integer keys, no secondary index, no uniqueness
 * constraint), 100,000 rows a transaction, with the store's journal and sync settings. Rows are built from the decoded
 * blocks before the clock starts for each transaction, so only the inserts are timed.
 */
export async function minimalCase(params: { blks: string[] }): Promise<Record<string, unknown>> {
  const { decodeBlock, readBlkFrames } = await adapters();
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const db = new Database(join(dir, 'minimal.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.exec(`CREATE TABLE addresses (id INTEGER PRIMARY KEY, address TEXT NOT NULL);
      CREATE TABLE txs (id INTEGER PRIMARY KEY, txid BLOB NOT NULL, height INTEGER, position INTEGER, version INTEGER, locktime INTEGER);
      CREATE TABLE outputs (tx_id INTEGER NOT NULL, n INTEGER NOT NULL, value INTEGER NOT NULL, address_id INTEGER);
      CREATE TABLE inputs (tx_id INTEGER NOT NULL, n INTEGER NOT NULL, prev_txid BLOB NOT NULL, prev_vout INTEGER NOT NULL, sequence INTEGER NOT NULL)`);
    const s = {
      address: db.prepare('INSERT INTO addresses (id, address) VALUES (?, ?)'),
      tx: db.prepare('INSERT INTO txs (id, txid, height, position, version, locktime) VALUES (?, ?, ?, ?, ?, ?)'),
      output: db.prepare('INSERT INTO outputs (tx_id, n, value, address_id) VALUES (?, ?, ?, ?)'),
      input: db.prepare('INSERT INTO inputs (tx_id, n, prev_txid, prev_vout, sequence) VALUES (?, ?, ?, ?, ?)'),
    };
    const addressIds = new Map<string, number>();
    let batch = { addresses: [] as Row[], txs: [] as Row[], outputs: [] as Row[], inputs: [] as Row[] };
    let pending = 0;
    let rows = 0;
    const insertAll = db.transaction(() => {
      for (const r of batch.addresses) s.address.run(...r);
      for (const r of batch.txs) s.tx.run(...r);
      for (const r of batch.outputs) s.output.run(...r);
      for (const r of batch.inputs) s.input.run(...r);
    });
    const clock = timedInserts(insertAll);
    const flush = () => {
      clock.run();
      rows += pending;
      pending = 0;
      batch = { addresses: [], txs: [], outputs: [], inputs: [] };
    };
    const holderId = (h: string | null): number | null => {
      if (h === null) return null;
      let id = addressIds.get(h);
      if (id === undefined) {
        id = addressIds.size + 1;
        addressIds.set(h, id);
        batch.addresses.push([id, h]);
        pending++;
      }
      return id;
    };
    let txId = 0;
    for (const blk of params.blks) {
      const fd = openSync(blk, 'r');
      const size = fstatSync(fd).size;
      const readAt = (offset: number, length: number) => {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        readSync(fd, buf, 0, buf.length, offset);
        return buf;
      };
      for (const frame of readBlkFrames(readAt, size, blk)) {
        const block = decodeBlock(frame.bytes, frame.chain, { where: blk, heightOf: () => null });
        for (const tx of block.transactions) {
          txId++;
          batch.txs.push([txId, Buffer.from(tx.txid, 'hex'), block.header.height, tx.position, tx.version, tx.locktime]);
          for (const o of tx.outputs) batch.outputs.push([txId, o.index, o.value, holderId(o.address ?? o.scriptId)]);
          for (const i of tx.inputs) batch.inputs.push([txId, i.index, Buffer.from(i.prevTxid, 'hex'), i.prevVout, i.sequence]);
          pending += 1 + tx.outputs.length + tx.inputs.length;
        }
        if (pending >= ROWS_PER_COMMIT) flush();
      }
      closeSync(fd);
    }
    flush();
    db.close();
    const { seconds, cpuSeconds } = clock;
    return { seconds, cpuSeconds, transactions: txId, rows, txPerSec: txId / seconds, rowsPerSec: rows / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
