import type { ChangeContext, HolderIdTx, IdTx, ScriptType, TxFeatures, UtxoInput, UtxoOutput, UtxoTransaction } from '@cryptotrace/core';
import { classifyHolder, featuresOf, newInputScan, nulldataPayload, scanInput, txFeatures } from '@cryptotrace/core';
import { NULLDATA_SCRIPT } from './nulldata-scripts.js';
import type { Db } from './open.js';

/** A transaction as clustering reads it: the model transaction, its holders' address ids and its row id. */
export interface ClusterStreamTx extends IdTx {
  /** `txs.id`: the order transactions were stored in (block order for an ordered ingest). */
  rowId: number;
}

/**
 * A transaction as a rule set without change or peel rules reads it: holders as address ids, no model
 * transaction (no strings but the txid), and whether it waits for an input to be resolved.
 */
export interface ClusterStreamIdTx extends HolderIdTx {
  rowId: number;
  waiting: boolean;
}

type TxRow = [id: number, txid: string, blockHash: string | null, height: number | null, time: number | null, position: number | null, version: number, locktime: number, size: number | null, vsize: number | null];
// Rows as plain numbers (no bigint per integer column): a value comes as a number when it is a safe integer, else
// as its decimal text in the last column, so every value converts to bigint exactly.
type InRow = [txId: number, n: number, prevTxid: string, prevVout: number, sequence: number, coinbase: number, addressId: number | null, holder: string | null, value: number | null, resolved: number, valueText: string | null];
type OutRow = [txId: number, n: number, value: number, scriptType: ScriptType, addressId: number | null, holder: string | null, valueText: string | null, script: Uint8Array | null];
type IdTxRow = [id: number, txid: string, inBlock: number, height: number | null];
type IdInRow = [txId: number, coinbase: number, addressId: number | null, value: number | null, resolved: number, valueText: string | null];
type IdOutRow = [txId: number, value: number, nulldata: number, addressId: number | null, valueText: string | null, script: Uint8Array | null];

/** The columns each reading takes from txs, inputs (i, with its holder a) and outputs (o, with its holder a). */
interface Columns {
  txs: string;
  inputs: string;
  outputs: string;
  /** Whether the columns name the holder's text (a.address): the addresses table is joined only then. */
  holders: boolean;
}

const IN_COLUMNS = `i.tx_id, i.n, i.prev_txid, i.prev_vout, i.sequence, i.coinbase, i.address_id, a.address, i.value, i.resolved,
  CASE WHEN abs(i.value) > 9007199254740991 THEN CAST(i.value AS TEXT) END`;
const OUT_COLUMNS = `o.tx_id, o.n, o.value, o.script_type, o.address_id, a.address, CASE WHEN abs(o.value) > 9007199254740991 THEN CAST(o.value AS TEXT) END,
  ${NULLDATA_SCRIPT}`;
const MODEL: Columns = {
  txs: 'id, txid, block_hash, block_height, block_time, position, version, locktime, size, vsize',
  inputs: IN_COLUMNS,
  outputs: OUT_COLUMNS,
  holders: true,
};
const IDS: Columns = {
  txs: 'id, txid, block_hash IS NOT NULL, block_height',
  inputs: 'i.tx_id, i.coinbase, i.address_id, i.value, i.resolved, CASE WHEN abs(i.value) > 9007199254740991 THEN CAST(i.value AS TEXT) END',
  outputs: `o.tx_id, o.value, o.script_type = 'nulldata', o.address_id, CASE WHEN abs(o.value) > 9007199254740991 THEN CAST(o.value AS TEXT) END,
    ${NULLDATA_SCRIPT}`,
  holders: false,
};

/**
 * Reads transactions with their inputs and outputs as rows, in row order: the next `limit` after a row id (a
 * range scan on each primary key), or given row ids (IN lists of at most 5,000).
 */
function rowReader<T extends unknown[], I extends unknown[], O extends unknown[]>(db: Db, c: Columns) {
  const inFrom = c.holders ? 'inputs i LEFT JOIN addresses a ON a.id = i.address_id' : 'inputs i';
  const outFrom = c.holders ? 'outputs o LEFT JOIN addresses a ON a.id = o.address_id' : 'outputs o';
  // `+chain`: the row-id range is the index to use; on the chain index SQLite would scan and sort every row of
  // the chain for each chunk (quadratic over a rebuild).
  const txs = db.prepare(`SELECT ${c.txs} FROM txs WHERE +chain = ? AND id > ? ORDER BY id LIMIT ?`).raw();
  const ins = db.prepare(`SELECT ${c.inputs} FROM ${inFrom} WHERE i.tx_id >= ? AND i.tx_id <= ? ORDER BY i.tx_id, i.n`).raw();
  const outs = db.prepare(`SELECT ${c.outputs} FROM ${outFrom} WHERE o.tx_id >= ? AND o.tx_id <= ? ORDER BY o.tx_id, o.n`).raw();
  return {
    after(chain: string, after: number, limit: number): [T[], I[], O[]] {
      const rows = txs.all(chain, after, limit) as T[];
      if (rows.length === 0) return [[], [], []];
      const lo = rows[0][0];
      const hi = rows[rows.length - 1][0];
      return [rows, ins.all(lo, hi) as I[], outs.all(lo, hi) as O[]];
    },
    /** Row ids in ascending order, in parts. */
    *byIds(ids: readonly number[]): Generator<[T[], I[], O[]]> {
      for (let k = 0; k < ids.length; k += 5000) {
        const part = ids.slice(k, k + 5000);
        const q = part.map(() => '?').join(',');
        yield [
          db.prepare(`SELECT ${c.txs} FROM txs WHERE id IN (${q}) ORDER BY id`).raw().all(...part) as T[],
          db.prepare(`SELECT ${c.inputs} FROM ${inFrom} WHERE i.tx_id IN (${q}) ORDER BY i.tx_id, i.n`).raw().all(...part) as I[],
          db.prepare(`SELECT ${c.outputs} FROM ${outFrom} WHERE o.tx_id IN (${q}) ORDER BY o.tx_id, o.n`).raw().all(...part) as O[],
        ];
      }
    },
  };
}

/** A stored value as the model holds it: exact, from the number or, past 2^53, the text. */
function valueOf(value: number, text: string | null): bigint {
  return text === null ? BigInt(value) : BigInt(text);
}

/** A holder as the model splits it: script ids (`p2pk:`, `script:`) hold a colon, addresses do not. */
function isScriptId(holder: string): boolean {
  return holder.includes(':');
}

/**
 * Reads a chain's UTXO transactions for clustering in chunks of consecutive row ids: three range scans
 * (txs, inputs, outputs on their primary keys) per chunk, rows as arrays, nothing held between chunks. Each chunk
 * is read whole before it is handed out, so the caller may query and write the store between chunks.
 * @example for (const chunk of clusterChunks(db, 'bitcoin', 0)) for (const t of chunk) use(t)
 */
export function createClusterStream(db: Db) {
  const s = {
    // Lists go in as one JSON parameter; each lookup is an index seek (min over an index ending in tx_id).
    spenders: db.prepare(`SELECT i.prev_txid, i.prev_vout, i.tx_id FROM json_each(?) AS j CROSS JOIN inputs AS i CROSS JOIN txs AS t
      WHERE i.prev_txid = j.value AND t.id = i.tx_id AND i.coinbase = 0 AND t.chain = ?`).raw(),
    firstSeen: db.prepare(`SELECT j.value, min(coalesce((SELECT tx_id FROM outputs WHERE address_id = j.value ORDER BY tx_id LIMIT 1), 9e15),
      coalesce((SELECT tx_id FROM inputs WHERE address_id = j.value ORDER BY tx_id LIMIT 1), 9e15)) FROM json_each(?) AS j`).raw(),
  };

  const model = rowReader<TxRow, InRow, OutRow>(db, MODEL);
  const ids = rowReader<IdTxRow, IdInRow, IdOutRow>(db, IDS);

  /** Transactions by row ids (ascending), three queries per 5,000. */
  function assembleIds(chain: string, rowIds: number[]): ClusterStreamTx[] {
    const out: ClusterStreamTx[] = [];
    for (const [rows, ins, outs] of model.byIds(rowIds)) out.push(...assembleWith(chain, rows, ins, outs));
    return out;
  }

  /**
   * What change and peel rules need about a chunk, read in a few queries for the whole chunk: each output's
   * spending transaction, and each output holder's first transaction (fresh = first seen in this one).
   */
  function contextFor(chain: string, chunk: readonly ClusterStreamTx[]): (t: ClusterStreamTx) => ChangeContext {
    const spentBy = new Map<string, number>();
    const firstTx = new Map<number, number>();
    const txids = JSON.stringify(chunk.map((t) => t.tx.txid));
    for (const [txid, vout, spender] of s.spenders.all(txids, chain) as [string, number, number][]) spentBy.set(`${txid}:${vout}`, spender);
    const ids = JSON.stringify([...new Set(chunk.flatMap((t) => Array.from(t.outputIds).filter((x) => x >= 0)))]);
    for (const [a, first] of s.firstSeen.all(ids) as [number, number | null][]) if (first !== null) firstTx.set(a, first);
    const spenders = new Map(assembleIds(chain, [...new Set(spentBy.values())].sort((a, b) => a - b)).map((t) => [t.rowId, t.tx]));
    return (t) => ({
      isFresh: (n) => {
        const id = t.outputIds[n];
        if (id < 0) return null;
        return firstTx.get(id) === t.rowId && !Array.from(t.inputIds).includes(id);
      },
      spenderOf: (n) => {
        const row = spentBy.get(`${t.tx.txid}:${n}`);
        const s = row === undefined ? undefined : spenders.get(row);
        return s === undefined ? null : txFeatures(s);
      },
    });
  }

  /**
   * The same context for a whole-chain pass in row order (a rebuild), from compact arrays: one pass over the
   * chain's transactions, inputs and outputs gives every transaction's features (txFeatures, packed) and each
   * output's spending transaction (one join of inputs to the txid index); freshness needs no lookup, since a
   * holder is fresh in the first transaction of the pass that names it. The returned function must be called for
   * each transaction in row order, once, before its rules run.
   */
  function chainContext(chain: string): (t: ClusterStreamTx) => ChangeContext {
    const [lo, hi] = db.prepare('SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM txs WHERE chain = ?').raw().get(chain) as [number, number];
    const span = Math.max(0, hi - lo + 1);
    const maxAddress = (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) + 1;
    // Per transaction (index row id - lo): features packed in bits, version, multisig form, where its outputs start.
    const RBF = 1, SEGWIT = 2, PEEL = 4, LOCKTIME_ZERO = 8, IN_CHAIN = 16;
    const bits = new Uint8Array(span);
    const version = new Int32Array(span);
    const form = new Uint8Array(span);
    const forms: string[] = [];
    const formIds = new Map<string, number>();
    const outStart = new Int32Array(span + 1);
    // Per address: its script type (index in TYPES + 1; 0: not read) and the first transaction of the pass naming it.
    const TYPES: (ScriptType | null)[] = [null];
    const typeIds = new Map<ScriptType | null, number>([[null, 0]]);
    const type = new Uint8Array(maxAddress);
    const firstTx = new Int32Array(maxAddress);
    for (const [id, address] of db.prepare('SELECT id, address FROM addresses WHERE chain = ?').raw().iterate(chain) as IterableIterator<[number, string]>) {
      const t = classifyHolder(chain, address);
      let k = typeIds.get(t);
      if (k === undefined) {
        k = TYPES.length;
        TYPES.push(t);
        typeIds.set(t, k);
      }
      type[id] = k;
    }
    // Outputs: how many slots each transaction has and how many are spendable.
    const spendable = new Uint16Array(span);
    const outs = db.prepare(`SELECT tx_id, max(n) + 1, sum(script_type <> 'nulldata' AND address_id IS NOT NULL) FROM outputs
      WHERE tx_id >= ? AND tx_id <= ? GROUP BY tx_id`).raw();
    const slots = new Int32Array(span);
    for (const [txId, n, ok] of outs.iterate(lo, hi) as IterableIterator<[number, number, number]>) {
      slots[txId - lo] = n;
      spendable[txId - lo] = ok;
    }
    for (let k = 0; k < span; k++) outStart[k + 1] = outStart[k] + slots[k];
    // Transactions and their inputs, both in row order: one scan each.
    const ins = db.prepare('SELECT tx_id, sequence, coinbase, address_id FROM inputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n').raw().iterate(lo, hi) as IterableIterator<[number, number, number, number | null]>;
    let next = ins.next();
    for (const [id, v, locktime, size, vsize] of db.prepare('SELECT id, version, locktime, size, vsize FROM txs WHERE +chain = ? ORDER BY id').raw().iterate(chain) as IterableIterator<[number, number, number, number | null, number | null]>) {
      const scan = newInputScan();
      while (!next.done && next.value[0] < id) next = ins.next();
      for (; !next.done && next.value[0] === id; next = ins.next()) {
        const [, sequence, coinbase, addressId] = next.value;
        scanInput(scan, coinbase === 1, sequence, addressId, addressId === null ? null : TYPES[type[addressId]]);
      }
      const k = id - lo;
      const f = featuresOf(scan, { version: v, locktime, size, vsize }, spendable[k]);
      bits[k] = IN_CHAIN | (f.rbf ? RBF : 0) | (f.segwit ? SEGWIT : 0) | (f.peelShaped ? PEEL : 0) | (f.locktimeZero ? LOCKTIME_ZERO : 0);
      version[k] = f.version;
      let m = formIds.get(f.multisig);
      if (m === undefined) {
        m = forms.length;
        forms.push(f.multisig);
        formIds.set(f.multisig, m);
      }
      form[k] = m;
    }
    if (!next.done) ins.return?.();
    // Each output's spender (row id; 0: unspent), both transactions of this chain; of two spenders the later row,
    // as a lookup by outpoint gives. The join walks the chain's txids in order and seeks each one's spends in the
    // prevout index in that same order, so both indexes are read nearly in sequence (a seek per input in input
    // order is three times slower at 10^6). A coinbase input names no stored transaction, so it never joins.
    const spentBy = new Int32Array(outStart[span]);
    const spends = db.prepare('SELECT p.id, i.prev_vout, i.tx_id FROM txs AS p CROSS JOIN inputs AS i WHERE p.chain = ? AND i.prev_txid = p.txid').raw();
    for (const [prev, vout, txId] of spends.iterate(chain) as IterableIterator<[number, number, number]>) {
      const k = prev - lo;
      if (txId < lo || txId > hi || (bits[txId - lo] & IN_CHAIN) === 0 || vout >= slots[k]) continue;
      const at = outStart[k] + vout;
      if (txId > spentBy[at]) spentBy[at] = txId;
    }
    const featuresAt = (row: number): TxFeatures => {
      const k = row - lo;
      const b = bits[k];
      return { locktimeZero: (b & LOCKTIME_ZERO) !== 0, version: version[k], rbf: (b & RBF) !== 0, segwit: (b & SEGWIT) !== 0, multisig: forms[form[k]], peelShaped: (b & PEEL) !== 0 };
    };
    return (t) => {
      const row = t.rowId;
      for (const ids of [t.inputIds, t.outputIds]) {
        for (let n = 0; n < ids.length; n++) if (ids[n] >= 0 && firstTx[ids[n]] === 0) firstTx[ids[n]] = row;
      }
      const k = row - lo;
      return {
        isFresh: (n) => {
          const id = t.outputIds[n];
          if (id < 0) return null;
          return firstTx[id] === row && !Array.from(t.inputIds).includes(id);
        },
        spenderOf: (n) => {
          if (n >= slots[k]) return null;
          const s = spentBy[outStart[k] + n];
          return s === 0 ? null : featuresAt(s);
        },
        // This transaction's features and its inputs' types, as the pass computed them for its spenders: the
        // rules need not type each input holder again from its text.
        features: () => featuresAt(row),
        inputType: (n) => (t.inputIds[n] >= 0 ? TYPES[type[t.inputIds[n]]] : null),
      };
    };
  }

  function assembleIdTxs(chain: string, rows: IdTxRow[], ins: IdInRow[], outs: IdOutRow[]): ClusterStreamIdTx[] {
    const out: ClusterStreamIdTx[] = [];
    let i = 0;
    let o = 0;
    for (const [id, txid, inBlock, height] of rows) {
      while (i < ins.length && ins[i][0] < id) i++;
      while (o < outs.length && outs[o][0] < id) o++;
      const inputIds: number[] = [];
      const inputValues: (bigint | null)[] = [];
      let waiting = false;
      const first = i;
      for (; i < ins.length && ins[i][0] === id; i++) {
        const [, coinbase, addressId, value, resolved, text] = ins[i];
        inputIds.push(addressId ?? -1);
        inputValues.push(value === null ? null : valueOf(value, text));
        if (coinbase === 0 && resolved === 0) waiting = true;
      }
      const outputIds: number[] = [];
      const outputValues: bigint[] = [];
      const outputNulldata: boolean[] = [];
      const nulldataSizes: number[] = [];
      for (; o < outs.length && outs[o][0] === id; o++) {
        const [, value, nulldata, addressId, text, script] = outs[o];
        outputIds.push(addressId === null ? -1 : addressId);
        outputValues.push(valueOf(value, text));
        outputNulldata.push(nulldata === 1);
        if (nulldata === 1) nulldataSizes.push(script === null ? -1 : (nulldataPayload(script)?.payload.length ?? -1));
      }
      // As the model's isCoinbase: one input, a coinbase.
      const coinbase = i - first === 1 && ins[first][1] === 1;
      out.push({ rowId: id, waiting, tx: { chain, txid, block: inBlock === 1 ? { height } : null }, coinbase, inputIds, inputValues, outputIds, outputValues, outputNulldata, nulldataSizes });
    }
    return out;
  }

  function assembleWith(chain: string, rows: TxRow[], ins: InRow[], outs: OutRow[]): ClusterStreamTx[] {
    const out: ClusterStreamTx[] = [];
    let i = 0;
    let o = 0;
    for (const r of rows) {
      const id = r[0];
      while (i < ins.length && ins[i][0] < id) i++;
      while (o < outs.length && outs[o][0] < id) o++;
      const inputs: UtxoInput[] = [];
      const inputIds: number[] = [];
      for (; i < ins.length && ins[i][0] === id; i++) {
        const x = ins[i];
        const h = x[7];
        const script = h !== null && isScriptId(h);
        inputs.push({
          index: x[1], prevTxid: x[2], prevVout: x[3], sequence: x[4], coinbase: x[5] === 1, address: script ? null : h, scriptId: script ? h : null,
          value: x[8] === null ? null : valueOf(x[8], x[10]), resolved: x[9] === 1,
        });
        inputIds.push(x[6] === null ? -1 : x[6]);
      }
      const outputs: UtxoOutput[] = [];
      const outputIds: number[] = [];
      for (; o < outs.length && outs[o][0] === id; o++) {
        const x = outs[o];
        const h = x[5];
        const script = h !== null && isScriptId(h);
        const out: UtxoOutput = { index: x[1], value: valueOf(x[2], x[6]), scriptType: x[3], address: script ? null : h, scriptId: script ? h : null };
        if (x[7] !== null) out.nulldata = Buffer.from(x[7]).toString('hex');
        outputs.push(out);
        outputIds.push(x[4] === null ? -1 : x[4]);
      }
      const tx: UtxoTransaction = {
        chain, txid: r[1], block: r[2] === null ? null : { hash: r[2], height: r[3], time: r[4] ?? 0 }, position: r[5],
        version: r[6], locktime: r[7], size: r[8], vsize: r[9], inputs, outputs,
      };
      out.push({ rowId: id, tx, inputIds, outputIds });
    }
    return out;
  }

  return {
    /** The next chunk of a chain's transactions after row id `after` (empty at the end). */
    chunk(chain: string, after: number, limit = 5000): ClusterStreamTx[] {
      return assembleWith(chain, ...model.after(chain, after, limit));
    },
    /** Transactions by row id (parents revisited, pending ones retried). */
    byRowId(chain: string, rowIds: readonly number[]): ClusterStreamTx[] {
      return assembleIds(chain, [...rowIds].sort((a, b) => a - b));
    },
    /** `chunk` with holders as ids and no model transaction (for rule sets without change or peel rules). */
    idChunk(chain: string, after: number, limit = 5000): ClusterStreamIdTx[] {
      return assembleIdTxs(chain, ...ids.after(chain, after, limit));
    },
    /** `byRowId` with holders as ids. */
    idsByRowId(chain: string, rowIds: readonly number[]): ClusterStreamIdTx[] {
      const out: ClusterStreamIdTx[] = [];
      for (const [rows, ins, outs] of ids.byIds([...rowIds].sort((a, b) => a - b))) out.push(...assembleIdTxs(chain, rows, ins, outs));
      return out;
    },
    contextFor,
    chainContext,
  };
}

/**
 * Stream a chain's UTXO transactions after row id `after`, chunk by chunk. Memory holds one chunk.
 * @example for (const t of streamClusterTxs(db, 'bitcoin')) count++
 */
export function* streamClusterTxs(db: Db, chain: string, after = 0, chunkSize = 5000): Generator<ClusterStreamTx> {
  const stream = createClusterStream(db);
  for (let last = after; ; ) {
    const chunk = stream.chunk(chain, last, chunkSize);
    if (chunk.length === 0) return;
    yield* chunk;
    last = chunk[chunk.length - 1].rowId;
  }
}
