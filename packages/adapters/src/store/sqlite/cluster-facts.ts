import type { FactsNeed, Spend, TxFacts } from '@cryptotrace/core';
import { classifyHolder, factsBuilder, NO_TYPE, nulldataPayload, SCRIPT_TYPES, scriptTypeCode } from '@cryptotrace/core';
import type { Db } from './open.js';

// Only the columns a need reads (each column costs per row), inputs and outputs as single columns (better-sqlite3
// builds an array per row of a multi-column query, a third of the cost). A value past 2^53 comes back as a rounded
// number: the few such transactions have their values read again as text, so every value is exact.
type TxRow = [id: number, txid: string, inBlock: number, height: number | null, version: number, locktime: number, size: number | null, vsize: number | null];

const SAFE = Number.MAX_SAFE_INTEGER;
/**
 * A packed key: (place of the transaction in the reading × 16 + flags or script type code) × 2^31 + holder + 1,
 * below 2^53 while the place is below 2^18 (WIDEST).
 */
const HOLDER = 2147483648;
/** Transactions per reading at most. */
const PART = 5000;
/** A range of rows at most this wide is read as a range; a wider one (other chains' rows between) as a list. */
const WIDEST = 1 << 18;
/** Addresses typed a page at a time when a whole chain is typed. */
const TYPE_PAGE = 50_000;
/** A transaction's block as one number: in a block × 2^34 + height + 1 (0: no height). */
const IN_BLOCK = 2 ** 34;
/** Its sizes as one number: (size + 1) × 2^26 + vsize + 1 (0: not known). */
const SIZE = 2 ** 26;
/**
 * What the features (factsFeatures) read of a transaction's header, as one number: version × 4 + (locktime is
 * zero) × 2 + (size exceeds vsize). A `features` reading hands the header on as stand-ins that give the same
 * features: locktime 0 or 1, size and vsize 1 and 0 where the size exceeds the vsize (else not known).
 */
const FEATURES_HEADER = 't.version * 4 + (t.locktime = 0) * 2 + coalesce(t.size > t.vsize, 0)';
/** Input key flag: the input signals replace-by-fee (what the features read of its sequence), in `features` readings. */
const RBF_FLAG = 4;
/** An output's script type as its code (scriptTypeCode), in SQL: one number per output instead of its text. */
const TYPE_CODE = `CASE o.script_type ${SCRIPT_TYPES.map((t, k) => `WHEN '${t}' THEN ${k}`).join(' ')} ELSE ${scriptTypeCode('nonstandard')} END`;

/**
 * The SQL of one reading: transactions from `t`, then single-column queries over their inputs (`i`) and outputs
 * (`o`) and OP_RETURN scripts (`d`), in transaction and index order. `place` is the transaction's place in the
 * reading: its offset from the first row of a range, or its index in a JSON list of rows.
 */
function readingSql(need: FactsNeed, from: { txs: string; inputs: string; outputs: string; scripts: string; order: string; place: (tx: string) => string }) {
  const ids = need !== 'features';
  // Whole header fields and sequences for `all`; `features` reads them packed (FEATURES_HEADER, RBF_FLAG).
  const header = need === 'all';
  const features = need === 'features';
  const col = (what: string, table: string, alias: string) => `SELECT ${what} FROM ${table.replaceAll('$', alias)} ORDER BY ${from.order.replaceAll('$', alias)}, ${alias}.n`;
  const tx = (what: string) => `SELECT ${what} FROM ${from.txs}`;
  return {
    // Whole rows only where a packed column has no room for a value (`txBlock`, `txSizes` null).
    txs: tx(`t.id, ${ids ? 't.txid, t.block_hash IS NOT NULL, t.block_height' : "'', 0, NULL"}${header ? ', t.version, t.locktime, t.size, t.vsize' : ''}`),
    txIds: tx('t.id'),
    txsAfter: 'SELECT t.id FROM txs t WHERE +t.chain = @chain AND t.id > @after ORDER BY t.id LIMIT @limit',
    txTxid: ids ? tx('t.txid') : null,
    txBlock: ids ? tx(`CASE WHEN t.block_height IS NULL THEN (t.block_hash IS NOT NULL) * ${IN_BLOCK}
      WHEN t.block_height >= 0 AND t.block_height < ${IN_BLOCK - 1} THEN (t.block_hash IS NOT NULL) * ${IN_BLOCK} + t.block_height + 1 END`) : null,
    txVersion: header ? tx('t.version') : null,
    txFeatures: features ? tx(FEATURES_HEADER) : null,
    txLocktime: header ? tx('t.locktime') : null,
    txSizes: header ? tx(`CASE WHEN coalesce(t.size, 0) BETWEEN 0 AND ${SIZE - 2} AND coalesce(t.vsize, 0) BETWEEN 0 AND ${SIZE - 2}
      THEN (coalesce(t.size, -1) + 1) * ${SIZE} + coalesce(t.vsize, -1) + 1 END`) : null,
    inKey: col(`(${from.place('i.tx_id')} * 16${features ? ` + (i.sequence < 4294967294) * ${RBF_FLAG}` : ''} + i.coinbase * 2 + i.resolved) * ${HOLDER} + coalesce(i.address_id, -1) + 1`, from.inputs, 'i'),
    inValue: ids ? col('i.value', from.inputs, 'i') : null,
    inSequence: header ? col('i.sequence', from.inputs, 'i') : null,
    outKey: col(`(${from.place('o.tx_id')} * 16 + ${TYPE_CODE}) * ${HOLDER} + coalesce(o.address_id, -1) + 1`, from.outputs, 'o'),
    outValue: ids ? col('o.value', from.outputs, 'o') : null,
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
      p = Object.fromEntries(Object.entries(sql).map(([k, q]) => [k, q === null ? null : k === 'txs' || k === 'scripts' ? db.prepare(q).raw() : db.prepare(q).pluck()])) as Prepared;
      prepared.set(key, p);
    }
    return p;
  };
  const exactIn = db.prepare('SELECT CAST(value AS TEXT) FROM inputs WHERE tx_id = ? ORDER BY n').pluck();
  const exactOut = db.prepare('SELECT CAST(value AS TEXT) FROM outputs WHERE tx_id = ? ORDER BY n').pluck();

  // Script type codes of address ids, typed on first use (0: not typed yet, else code + 1).
  let typeOf = new Uint8Array(0);
  const addressText = db.prepare('SELECT address FROM addresses WHERE id = ?').pluck();
  // The chain's addresses in address order (its unique index), ids and texts as two single columns of the same
  // rows (a row of two costs twice as much), TYPE_PAGE at a time after the last address of the page before.
  const page = (what: string) => db.prepare(`SELECT ${what} FROM addresses WHERE chain = ? AND address > ? ORDER BY address LIMIT ${TYPE_PAGE}`).pluck();
  const pageIds = page('id');
  const pageTexts = page('address');
  const typeAll = () => {
    const max = (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) + 1;
    const t = new Uint8Array(max);
    t.set(typeOf.subarray(0, Math.min(typeOf.length, max)));
    for (let after = ''; ;) {
      const ids = pageIds.all(chain, after) as number[];
      if (ids.length === 0) break;
      const texts = pageTexts.all(chain, after) as string[];
      for (let k = 0; k < ids.length; k++) if (t[ids[k]] === 0) t[ids[k]] = scriptTypeCode(classifyHolder(chain, texts[k])) + 1;
      after = texts[texts.length - 1];
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
  function reading(need: FactsNeed, args: { lo: number; hi: number; chain: string } | { rows: string; chain: string }, placeOf: (row: number, k: number) => number, given?: number[]): TxFacts {
    const st = statements(need, 'rows' in args);
    const all = (s: ReturnType<Db['prepare']> | null) => (s === null ? null : (s.all(args) as unknown[]));
    const ids = given ?? (all(st.txIds) as number[]);
    const b = factsBuilder(chain);
    if (ids.length === 0) return b.done();
    const rows = txRows(st, all);
    const types = need !== 'ids';
    const nulldata = scriptTypeCode('nulldata');
    const inKey = all(st.inKey) as number[];
    const inValue = all(st.inValue) as (number | null)[] | null;
    const inSequence = all(st.inSequence) as number[] | null;
    const outKey = all(st.outKey) as number[];
    const outValue = all(st.outValue) as number[] | null;
    // OP_RETURN data sizes by output (row, n).
    const sizes = new Map<string, number>();
    for (const [tx, n, script] of (all(st.scripts) ?? []) as [number, number, Uint8Array][]) sizes.set(`${tx}:${n}`, nulldataPayload(script)?.payload.length ?? -1);
    let i = 0;
    let o = 0;
    ids.forEach((id, k) => {
      const place = placeOf(id, k);
      rows(k, id, b);
      while (i < inKey.length && Math.floor(inKey[i] / HOLDER) >> 4 < place) i++;
      let exact: string[] | null = null;
      for (let first = i; i < inKey.length; i++) {
        const key = inKey[i];
        const high = Math.floor(key / HOLDER);
        if (high >> 4 !== place) break;
        const a = (key % HOLDER) - 1;
        const value = inValue === null ? null : inValue[i];
        let v: bigint | null = null;
        if (value !== null) v = value > SAFE || value < -SAFE ? BigInt((exact ??= exactIn.all(id) as string[])[i - first]) : BigInt(value);
        // Without sequences read, one that gives the same replace-by-fee signal (RBF_FLAG; never set but in `features`).
        const sequence = inSequence === null ? ((high & RBF_FLAG) !== 0 ? 0 : 0xffffffff) : inSequence[i];
        b.input(a, v, sequence, (high >> 1) & 1, high & 1, types && a >= 0 ? typeCode(a) : NO_TYPE);
      }
      while (o < outKey.length && Math.floor(outKey[o] / HOLDER) >> 4 < place) o++;
      exact = null;
      for (let first = o; o < outKey.length; o++) {
        const key = outKey[o];
        const high = Math.floor(key / HOLDER);
        if (high >> 4 !== place) break;
        const code = high & 15;
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
      const rows = statements(need, false).txsAfter!.all({ chain, after, limit: Math.min(limit, PART) }) as number[];
      if (rows.length === 0) return factsBuilder(chain).done();
      const lo = rows[0];
      const hi = rows[rows.length - 1];
      // A range whose rows lie far apart (other chains' rows between them) is read as a list.
      if (hi - lo >= WIDEST) return readList(rows, need);
      return reading(need, { lo, hi, chain }, (row) => row - lo, rows);
    },
    /** Given rows (ascending). */
    readRows(rows: readonly number[], need: FactsNeed): TxFacts {
      return readList([...new Set(rows)], need);
    },
  };
}

/**
 * The transactions' own columns of a reading, one number per column and transaction (`txBlock` and `txSizes`
 * packed), or whole rows where a packed column has no room for a value: `add(k, id, b)` adds transaction k.
 */
function txRows(st: Record<string, ReturnType<Db['prepare']> | null>, all: (s: ReturnType<Db['prepare']> | null) => unknown[] | null) {
  const txid = all(st.txTxid) as string[] | null;
  const block = all(st.txBlock) as (number | null)[] | null;
  const version = all(st.txVersion) as number[] | null;
  const features = all(st.txFeatures) as number[] | null;
  const locktime = all(st.txLocktime) as number[] | null;
  const sizes = all(st.txSizes) as (number | null)[] | null;
  if (block?.includes(null) || sizes?.includes(null)) {
    const rows = all(st.txs) as TxRow[];
    return (k: number, id: number, b: ReturnType<typeof factsBuilder>) => {
      const t = rows[k];
      b.tx(id, t[1], t[2], t[3] ?? NaN, t[4] ?? 0, t[5] ?? 0, t[6] ?? NaN, t[7] ?? NaN);
    };
  }
  const known = (packed: number) => (packed === 0 ? NaN : packed - 1);
  if (features !== null) {
    return (k: number, id: number, b: ReturnType<typeof factsBuilder>) => {
      const p = features[k];
      const v = Math.floor(p / 4);
      const bits = p - v * 4;
      const wider = (bits & 1) !== 0;
      b.tx(id, '', 0, NaN, v, (bits & 2) !== 0 ? 0 : 1, wider ? 1 : NaN, wider ? 0 : NaN);
    };
  }
  return (k: number, id: number, b: ReturnType<typeof factsBuilder>) => {
    const place = block === null ? 0 : block[k]!;
    const size = sizes === null ? 0 : sizes[k]!;
    b.tx(id, txid === null ? '' : txid[k], place >= IN_BLOCK ? 1 : 0, known(place % IN_BLOCK), version === null ? 0 : version[k], locktime === null ? 0 : locktime[k],
      known(Math.floor(size / SIZE)), known(size % SIZE));
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
    spends: () => packedSpends(db, chain) ?? (all.iterate(chain) as IterableIterator<Spend>),
    spendsOf: (rows: readonly number[]) => of.all(JSON.stringify(rows), chain) as Spend[],
    parentsOf: (rows: readonly number[]) => parents.all(JSON.stringify(rows), chain) as number[],
    firstRows(ids: readonly number[]): Map<number, number> {
      const out = new Map<number, number>();
      for (const [a, first] of firstSeen.all(JSON.stringify(ids)) as [number, number][]) if (first < 9e15) out.set(a, first);
      return out;
    },
  };
}

/** Parts of the txid order a packed spend query reads at a time (by first two hex digits), the last one open-ended. */
/**
 * The spends of one part of the txid order, and of the last: each a range of txs_txid_chain. `+p.chain` keeps the
 * planner off txs_block, whose chain prefix would scan every transaction of the chain for each of the 256 parts (the
 * all-rules rebuild at 10^7 took twice its CPU so).
 */
export const SPENDS_PART = 'WHERE +p.chain = @chain AND p.txid >= @from AND p.txid < @to AND i.prev_txid = p.txid';
export const SPENDS_LAST_PART = 'WHERE +p.chain = @chain AND p.txid >= @from AND i.prev_txid = p.txid';

const TXID_PARTS = Array.from({ length: 255 }, (_, k) => (k + 1).toString(16).padStart(2, '0'));

/**
 * Every spend of the chain as one number per row instead of a row of three (a number costs a third of the
 * reading): ((prev − lo) × 2^B + spender − lo) × 2^V + vout, where lo..lo + 2^B − 1 holds every row id of the store
 * and V is what is left of 53 bits. A vout of 2^V − 1 or more comes clipped to 2^V − 1 and is read again exactly
 * for its (prev, spender) pair. Read in parts of the txid order (each part whole, so the caller may write between
 * them); null when the store's row ids are too wide to pack (the caller reads rows of three).
 */
function packedSpends(db: Db, chain: string): Iterable<Spend> | null {
  // Each bound on its own: min and max in one select would scan the table.
  const [lo, hi] = db.prepare('SELECT coalesce((SELECT min(id) FROM txs), 0), coalesce((SELECT max(id) FROM txs), 0)').raw().get() as [number, number];
  const rowBits = Math.max(1, Math.ceil(Math.log2(hi - lo + 1)));
  const voutBits = 53 - 2 * rowBits;
  if (voutBits < 4) return null;
  const rowScale = 2 ** rowBits;
  const voutScale = 2 ** voutBits;
  const clip = voutScale - 1;
  // Spenders outside lo..hi cannot be: every row id is in it.
  const select = `SELECT ((p.id - @lo) * ${rowScale} + (i.tx_id - @lo)) * ${voutScale} + min(i.prev_vout, ${clip}) FROM txs AS p CROSS JOIN inputs AS i`;
  const part = db.prepare(`${select} ${SPENDS_PART}`).pluck();
  const last = db.prepare(`${select} ${SPENDS_LAST_PART}`).pluck();
  const exact = db.prepare(`SELECT i.prev_vout FROM txs AS p CROSS JOIN inputs AS i WHERE p.id = ? AND i.tx_id = ? AND i.prev_txid = p.txid AND i.prev_vout >= ${clip}`).pluck();
  return {
    *[Symbol.iterator]() {
      for (let k = 0; k <= TXID_PARTS.length; k++) {
        const args = { chain, lo, from: k === 0 ? '' : TXID_PARTS[k - 1], to: TXID_PARTS[k] };
        const rows = (k < TXID_PARTS.length ? part.all(args) : last.all(args)) as number[];
        const clipped = new Set<number>();
        for (const v of rows) {
          const pair = Math.floor(v / voutScale);
          const prev = Math.floor(pair / rowScale) + lo;
          const spender = (pair % rowScale) + lo;
          const vout = v % voutScale;
          if (vout < clip) yield [prev, vout, spender];
          else if (!clipped.has(pair)) {
            clipped.add(pair);
            for (const n of exact.all(prev, spender) as number[]) yield [prev, n, spender];
          }
        }
      }
    },
  };
}
