import type { Db } from './open.js';

/**
 * The chain data of a store as text lines in a canonical order, with every row id replaced by what it names
 * (a transaction by its chain and txid, an address by its chain and text, provenance by its four fields): two
 * stores that hold the same data give the same lines, whichever way and in whichever order it was written. The
 * schema (tables and indexes) and the schema version come first, so a store missing an index differs too.
 * Streams: a store of any size is dumped without holding it. Of provenance, the rows that stored data name.
 */
export function* canonicalDump(db: Db): IterableIterator<string> {
  yield `user_version ${db.pragma('user_version', { simple: true }) as number}`;
  const queries: [string, string][] = [
    ['schema', "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"],
    // Provenance that a stored block or transaction names: a run that stored nothing new (a resumed load's first
    // run stored what it committed; the run that finished it, the rest) leaves a row that says nothing of the data.
    ['provenance', `SELECT source, locator, format, at FROM provenance WHERE id IN (SELECT provenance_id FROM blocks UNION SELECT provenance_id FROM txs
      UNION SELECT provenance_id FROM account_txs) ORDER BY source, locator, format, at`],
    ['address', 'SELECT chain, address FROM addresses ORDER BY chain, address'],
    ['block', `SELECT b.chain, b.hash, b.height, b.prev_hash, b.merkle_root, b.time, b.version, b.bits, b.nonce, b.tx_count, ${PROVENANCE('b')}
      FROM blocks b ORDER BY b.chain, b.hash`],
    ['tx', `SELECT t.chain, t.txid, t.block_hash, t.block_height, t.block_time, t.position, t.version, t.locktime, t.size, t.vsize, ${PROVENANCE('t')}
      FROM txs t ORDER BY t.chain, t.txid`],
    ['output', `SELECT t.chain, t.txid, o.n, o.value, o.script_type, a.address FROM outputs o JOIN txs t ON t.id = o.tx_id
      LEFT JOIN addresses a ON a.id = o.address_id ORDER BY t.chain, t.txid, o.n`],
    ['input', `SELECT t.chain, t.txid, i.n, i.prev_txid, i.prev_vout, i.sequence, i.coinbase, a.address, i.value, i.resolved FROM inputs i
      JOIN txs t ON t.id = i.tx_id LEFT JOIN addresses a ON a.id = i.address_id ORDER BY t.chain, t.txid, i.n`],
    ['nulldata', `SELECT t.chain, t.txid, d.n, hex(d.script) FROM nulldata_scripts d JOIN txs t ON t.id = d.tx_id ORDER BY t.chain, t.txid, d.n`],
    ['claimed', `SELECT t.chain, t.txid, c.n, c.prev_txid, c.prev_vout FROM claimed_inputs c JOIN txs t ON t.id = c.tx_id ORDER BY t.chain, t.txid, c.n`],
    ['conflict', `SELECT t.chain, t.txid, k.n, k.claimed_value, ca.address, k.actual_value, aa.address FROM input_conflicts k JOIN txs t ON t.id = k.tx_id
      LEFT JOIN addresses ca ON ca.id = k.claimed_address_id LEFT JOIN addresses aa ON aa.id = k.actual_address_id ORDER BY t.chain, t.txid, k.n`],
    ['bulk_load', 'SELECT started_at FROM bulk_loads'],
  ];
  for (const [kind, sql] of queries) {
    for (const row of db.prepare(sql).raw().safeIntegers(true).iterate() as IterableIterator<unknown[]>) {
      yield `${kind} ${row.map((v) => (v === null ? '-' : String(v))).join(' ')}`;
    }
  }
}

const PROVENANCE = (alias: string) => `(SELECT source || ' ' || locator || ' ' || format || ' ' || at FROM provenance p WHERE p.id = ${alias}.provenance_id)`;
