import type { FactsNeed, ScriptType, Spend, TxFacts } from '@cryptotrace/core';
import { classifyHolder, factsBuilder, NO_TYPE, nulldataPayload, scriptTypeCode } from '@cryptotrace/core';
import type { Db } from './open.js';

// Only the columns a need reads (each column costs per row), inputs and outputs as single columns (better-sqlite3
// builds an array per row of a multi-column query, a third of the cost). A value past 2^53 comes back as a rounded
// number: the few such transactions have their values read again as text, so every value is exact.
type TxRow = [id: number, txid: string, inBlock: number, height: number | null, version: number, locktime: number, size: number | null, vsize: number | null];

const SAFE = Number.MAX_SAFE_INTEGER;
/** A packed key: (place of the transaction in the reading × 4 + flags) × 2^31 + holder + 1, below 2^53. */
const HOLDER = 2147483648;
/** Transactions per reading at most (a place below 2^20 keeps the key below 2^53). */
const PART = 5000;

/**
 * The SQL of one reading: transactions from `t`, then single-column queries over their inputs (`i`) and outputs
 * (`o`) and OP_RETURN scripts (`d`), in transaction and index order. `place` is the transaction's place in the
 * reading: its offset from the first row of a range, or its index in a JSON list of rows.
 */
function readingSql(need: FactsNeed, from: { txs: string; inputs: string; outputs: string; scripts: string; order: string; place: (tx: string) => string }) {
  const ids = need !== 'features';
  const model = need !== 'ids';
  const col = (what: string, table: string, alias: string) => `SELECT ${what} FROM ${table.replaceAll('$', alias)} ORDER BY ${from.order.replaceAll('$', alias)}, ${alias}.n`;
  return {
    txs: `SELECT t.id, ${ids ? 't.txid, t.block_hash IS NOT NULL, t.block_height' : "'', 0, NULL"}${model ? ', t.version, t.locktime, t.size, t.vsize' : ''} FROM ${from.txs}`,
    txsAfter: `SELECT t.id, ${ids ? 't.txid, t.block_hash IS NOT NULL, t.block_height' : "'', 0, NULL"}${model ? ', t.version, t.locktime, t.size, t.vsize' : ''}
      FROM txs t WHERE +t.chain = @chain AND t.id > @after ORDER BY t.id LIMIT @limit`,
    inKey: col(`(${from.place('i.tx_id')} * 4 + i.coinbase * 2 + i.resolved) * ${HOLDER} + coalesce(i.address_id, -1) + 1`, from.inputs, 'i'),
    inValue: ids ? col('i.value', from.inputs, 'i') : null,
    inSequence: model ? col('i.sequence', from.inputs, 'i') : null,
    // Script types only where the change rules read them (`all`); else only whether an output is an OP_RETURN.
    outKey: col(`(${from.place('o.tx_id')} * 2 + (o.script_type = 'nulldata')) * ${HOLDER} + coalesce(o.address_id, -1) + 1`, from.outputs, 'o'),
    outValue: ids ? col('o.value', from.outputs, 'o') : null,
    outType: need === 'all' ? col('o.script_type', from.outputs, 'o') : null,
    scripts: ids ? `SELECT d.tx_id, d.n, d.script FROM ${from.scripts}` : null,
  };
}

/** A range of row ids (@lo..@hi), or a JSON list of them (@rows, ascending). */
const RANGE = {
  // `+t.chain`: the row-id range (or the row) is the index to use, never the chain's index.
  txs: 'txs t WHERE t.id >= @lo AND t.id <= @hi AND +t.chain = @chain ORDER BY t.id',
  inputs: 'inputs $ WHERE $.tx_id >= @lo AND $.tx_id <= @hi',
  outputs: 'outputs $ WHERE $.tx_id >= @lo AND $.tx_id <= @hi',
  scripts: 'nulldata_scripts d WHERE d.tx_id >= @lo AND d.tx_id <= @hi',
  order: '$.tx_id',
  place: (tx: string) => `(${tx} - @lo)`,
};
const LIST = {
  txs: 'json_each(@rows) AS j CROSS JOIN txs t ON t.id = j.value WHERE +t.chain = @chain ORDER BY t.id',
  inputs: 'json_each(@rows) AS j CROSS JOIN inputs $ ON $.tx_id = j.value',
  outputs: 'json_each(@rows) AS j CROSS JOIN outputs $ ON $.tx_id = j.value',
  scripts: 'json_each(@rows) AS j CROSS JOIN nulldata_scripts d ON d.tx_id = j.value',
  order: 'j.key',
  place: () => 'j.key',
};

/**
 * Reads a chain's UTXO transactions as compact facts (TxFacts) for a clustering run: in chunks of consecutive row
 * ids (range scans on the primary keys) or by row ids (a JSON list, each an index seek). Each chunk is read whole
 * before it is handed out, so the caller may write the store between chunks. Input holders' script types are
 * typed from their text once per address (classifyHolder), only where a reading needs them.
 */
export function createFactsReader(db: Db, chain: string) {
  type Prepared = Record<keyof ReturnType<typeof readingSql>, ReturnType<Db['prepare']> | null>;
  const prepared = new Map<string, Prepared>();
  const statements = (need: FactsNeed, list: boolean): Prepared => {
    const key = `${need} ${list}`;
    let p = prepared.get(key);
    if (p === undefined) {
      const sql = readingSql(need, list ? LIST : RANGE);
      p = Object.fromEntries(Object.entries(sql).map(([k, q]) => [k, q === null ? null : k.startsWith('txs') || k === 'scripts' ? db.prepare(q).raw() : db.prepare(q).pluck()])) as Prepared;
      prepared.set(key, p);
    }
    return p;
  };
  const exactIn = db.prepare('SELECT CAST(value AS TEXT) FROM inputs WHERE tx_id = ? ORDER BY n').pluck();
  const exactOut = db.prepare('SELECT CAST(value AS TEXT) FROM outputs WHERE tx_id = ? ORDER BY n').pluck();

  // Script type codes of address ids, typed on first use (0: not typed yet, else code + 1).
  let typeOf = new Uint8Array(0);
  const addressText = db.prepare('SELECT address FROM addresses WHERE id = ?').pluck();
  const typeAll = () => {
    const max = (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) + 1;
    const t = new Uint8Array(max);
    t.set(typeOf.subarray(0, Math.min(typeOf.length, max)));
    for (const [id, address] of db.prepare('SELECT id, address FROM addresses WHERE chain = ?').raw().iterate(chain) as IterableIterator<[number, string]>) {
      if (t[id] === 0) t[id] = scriptTypeCode(classifyHolder(chain, address)) + 1;
    }
    typeOf = t;
  };
  let typedAll = false;
  const typeCode = (id: number): number => {
    if (id < typeOf.length && typeOf[id] !== 0) return typeOf[id] - 1;
    const address = addressText.get(id) as string | undefined;
    const code = address === undefined ? NO_TYPE : scriptTypeCode(classifyHolder(chain, address));
    if (id >= typeOf.length) {
      const t = new Uint8Array(Math.max(id + 1, typeOf.length * 2, 1024));
      t.set(typeOf);
      typeOf = t;
    }
    typeOf[id] = code + 1;
    return code;
  };

  /** One reading: the transactions (ascending rows) and their inputs and outputs, by `place`. */
  function reading(need: FactsNeed, args: { lo: number; hi: number; chain: string } | { rows: string; chain: string }, placeOf: (row: number, k: number) => number, given?: TxRow[]): TxFacts {
    const st = statements(need, 'rows' in args);
    const all = (s: ReturnType<Db['prepare']> | null) => (s === null ? null : (s.all(args) as unknown[]));
    const rows = given ?? (all(st.txs) as TxRow[]);
    const b = factsBuilder(chain);
    if (rows.length === 0) return b.done();
    const types = need !== 'ids';
    const nulldata = scriptTypeCode('nulldata');
    const other = scriptTypeCode('nonstandard');
    const inKey = all(st.inKey) as number[];
    const inValue = all(st.inValue) as (number | null)[] | null;
    const inSequence = all(st.inSequence) as number[] | null;
    const outKey = all(st.outKey) as number[];
    const outValue = all(st.outValue) as number[] | null;
    const outType = all(st.outType) as ScriptType[] | null;
    // OP_RETURN data sizes by output (row, n).
    const sizes = new Map<string, number>();
    for (const [tx, n, script] of (all(st.scripts) ?? []) as [number, number, Uint8Array][]) sizes.set(`${tx}:${n}`, nulldataPayload(script)?.payload.length ?? -1);
    let i = 0;
    let o = 0;
    rows.forEach((t, k) => {
      const id = t[0];
      const place = placeOf(id, k);
      b.tx(id, t[1], t[2], t[3] ?? NaN, t[4] ?? 0, t[5] ?? 0, t[6] ?? NaN, t[7] ?? NaN);
      while (i < inKey.length && Math.floor(inKey[i] / HOLDER) >> 2 < place) i++;
      let exact: string[] | null = null;
      for (let first = i; i < inKey.length; i++) {
        const key = inKey[i];
        const high = Math.floor(key / HOLDER);
        if (high >> 2 !== place) break;
        const a = (key % HOLDER) - 1;
        const value = inValue === null ? null : inValue[i];
        let v: bigint | null = null;
        if (value !== null) v = value > SAFE || value < -SAFE ? BigInt((exact ??= exactIn.all(id) as string[])[i - first]) : BigInt(value);
        b.input(a, v, inSequence === null ? 0 : inSequence[i], (high >> 1) & 1, high & 1, types && a >= 0 ? typeCode(a) : NO_TYPE);
      }
      while (o < outKey.length && Math.floor(outKey[o] / HOLDER) >> 1 < place) o++;
      exact = null;
      for (let first = o; o < outKey.length; o++) {
        const key = outKey[o];
        const high = Math.floor(key / HOLDER);
        if (high >> 1 !== place) break;
        // Without types (`ids`, `features`) only whether an output is an OP_RETURN.
        const code = outType !== null ? scriptTypeCode(outType[o]) : (high & 1) === 1 ? nulldata : other;
        const size = code !== nulldata ? 0 : (sizes.get(`${id}:${o - first}`) ?? -1);
        let v = 0n;
        if (outValue !== null) v = outValue[o] > SAFE || outValue[o] < -SAFE ? BigInt((exact ??= exactOut.all(id) as string[])[o - first]) : BigInt(outValue[o]);
        b.output((key % HOLDER) - 1, v, code, size);
      }
    });
    return b.done();
  }

  /** Given rows of the chain (ascending, distinct), PART at a time. */
  function readList(rows: readonly number[], need: FactsNeed): TxFacts {
    if (rows.length <= PART) {
      const place = new Map(rows.map((r, k) => [r, k]));
      return reading(need, { rows: JSON.stringify(rows), chain }, (row) => place.get(row)!);
    }
    const parts: TxFacts[] = [];
    for (let k = 0; k < rows.length; k += PART) parts.push(readList(rows.slice(k, k + PART), need));
    return joinFacts(chain, parts);
  }

  return {
    /** The next transactions after row `after`, at most `limit` (at most PART). */
    read(after: number, limit: number, need: FactsNeed): TxFacts {
      // A whole-chain reading that needs types types every address once, in one scan.
      if (need !== 'ids' && after === 0 && !typedAll) {
        typeAll();
        typedAll = true;
      }
      // `+chain`: the row-id range is the index to use; on the chain index SQLite would scan and sort every row of
      // the chain for each chunk (quadratic over a rebuild).
      const rows = statements(need, false).txsAfter!.all({ chain, after, limit: Math.min(limit, PART) }) as TxRow[];
      if (rows.length === 0) return factsBuilder(chain).done();
      const lo = rows[0][0];
      const hi = rows[rows.length - 1][0];
      // A range whose rows lie far apart (other chains' rows between them) is read as a list.
      if (hi - lo >= 1 << 20) return readList(rows.map((r) => r[0]), need);
      return reading(need, { lo, hi, chain }, (row) => row - lo, rows);
    },
    /** Given rows (ascending). */
    readRows(rows: readonly number[], need: FactsNeed): TxFacts {
      return readList([...new Set(rows)], need);
    },
  };
}

/** Facts of consecutive parts as one. */
function joinFacts(chain: string, parts: TxFacts[]): TxFacts {
  const b = factsBuilder(chain);
  for (const f of parts) {
    for (let k = 0; k < f.count; k++) {
      b.tx(f.rowId[k], f.txid[k], f.inBlock[k], f.height[k], f.version[k], f.locktime[k], f.size[k], f.vsize[k]);
      for (let i = f.inStart[k]; i < f.inStart[k + 1]; i++) b.input(f.inAddr[i], f.inValue[i], f.inSequence[i], f.inCoinbase[i], f.inResolved[i], f.inType[i]);
      for (let o = f.outStart[k]; o < f.outStart[k + 1]; o++) b.output(f.outAddr[o], f.outValue[o], f.outType[o], f.outNulldataSize[o]);
    }
  }
  return b.done();
}

/** The spend queries of a chain: every spend (a rebuild), or those of some rows' outputs (an update). */
export function createSpendReader(db: Db, chain: string) {
  // The join walks the chain's txids in order and seeks each one's spends in the prevout index in that same
  // order, so both indexes are read nearly in sequence (a seek per input in input order is three times slower at
  // 10^6). A coinbase input names no stored transaction, so it never joins.
  const all = db.prepare('SELECT p.id, i.prev_vout, i.tx_id FROM txs AS p CROSS JOIN inputs AS i WHERE p.chain = ? AND i.prev_txid = p.txid').raw();
  // Lists go in as one JSON parameter; each lookup is an index seek.
  const of = db.prepare(`SELECT p.id, i.prev_vout, i.tx_id FROM json_each(?) AS j CROSS JOIN txs AS p CROSS JOIN inputs AS i CROSS JOIN txs AS t
    WHERE p.id = j.value AND i.prev_txid = p.txid AND t.id = i.tx_id AND i.coinbase = 0 AND t.chain = ?`).raw();
  const parents = db.prepare(`SELECT DISTINCT p.id FROM json_each(?) AS j CROSS JOIN inputs AS i CROSS JOIN txs AS p
    WHERE i.tx_id = j.value AND i.coinbase = 0 AND p.txid = i.prev_txid AND p.chain = ?`).pluck();
  const firstSeen = db.prepare(`SELECT j.value, min(coalesce((SELECT tx_id FROM outputs WHERE address_id = j.value ORDER BY tx_id LIMIT 1), 9e15),
      coalesce((SELECT tx_id FROM inputs WHERE address_id = j.value ORDER BY tx_id LIMIT 1), 9e15)) FROM json_each(?) AS j`).raw();
  return {
    spends: () => all.iterate(chain) as IterableIterator<Spend>,
    spendsOf: (rows: readonly number[]) => of.all(JSON.stringify(rows), chain) as Spend[],
    parentsOf: (rows: readonly number[]) => parents.all(JSON.stringify(rows), chain) as number[],
    firstRows(ids: readonly number[]): Map<number, number> {
      const out = new Map<number, number>();
      for (const [a, first] of firstSeen.all(JSON.stringify(ids)) as [number, number][]) if (first < 9e15) out.set(a, first);
      return out;
    },
  };
}
