import type { FactsNeed, ScriptType, Spend, TxFacts } from '@cryptotrace/core';
import { classifyHolder, factsBuilder, NO_TYPE, nulldataPayload, scriptTypeCode } from '@cryptotrace/core';
import type { Db } from './open.js';

// Rows as plain numbers, only the columns a need reads (each column costs per row). A value past 2^53 comes back
// as a rounded number: the few such rows are read again with their values as text, so every value is exact.
type TxRow = [id: number, txid: string, inBlock: number, height: number | null, version: number, locktime: number, size: number | null, vsize: number | null];
type InRow = [txId: number, addressId: number | null, value: number | null, sequence: number, coinbase: number, resolved: number];
type OutRow = [txId: number, addressId: number | null, value: number, scriptType: ScriptType | number];

/** The columns each reading takes, in the row layouts above (NULL where a need does not read one). */
function columns(need: FactsNeed) {
  const ids = need !== 'features';
  const model = need !== 'ids';
  return {
    txs: `id, ${ids ? 'txid, block_hash IS NOT NULL, block_height' : "'', 0, NULL"}${model ? ', version, locktime, size, vsize' : ''}`,
    inputs: `tx_id, address_id, ${ids ? 'value' : 'NULL'}, ${model ? 'sequence' : '0'}, coinbase, resolved`,
    // Script types only where the change rules read them (`all`); else only whether an output is an OP_RETURN.
    outputs: `tx_id, address_id, ${ids ? 'value' : '0'}, ${need === 'all' ? 'script_type' : "script_type = 'nulldata'"}`,
  };
}

const SAFE = Number.MAX_SAFE_INTEGER;
/** The holder's share of a packed key: 2^31. */
const HOLDER = 2147483648;

/**
 * Reads a chain's UTXO transactions as compact facts (TxFacts) for a clustering run: in chunks of consecutive row
 * ids (three range scans on the primary keys per chunk, rows as arrays) or by row ids. Each chunk is read whole
 * before it is handed out, so the caller may write the store between chunks. Input holders' script types are
 * typed from their text once per address (classifyHolder), only where a reading needs them.
 */
export function createFactsReader(db: Db, chain: string) {
  const readers = new Map<FactsNeed, ReturnType<typeof prepare>>();
  function prepare(need: FactsNeed) {
    const c = columns(need);
    // `+chain`: the row-id range is the index to use; on the chain index SQLite would scan and sort every row of
    // the chain for each chunk (quadratic over a rebuild).
    return {
      txs: db.prepare(`SELECT ${c.txs} FROM txs WHERE +chain = ? AND id > ? ORDER BY id LIMIT ?`).raw(),
      ins: db.prepare(`SELECT ${c.inputs} FROM inputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n`).raw(),
      outs: db.prepare(`SELECT ${c.outputs} FROM outputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n`).raw(),
      scripts: db.prepare('SELECT tx_id, n, script FROM nulldata_scripts WHERE tx_id >= ? AND tx_id <= ?').raw(),
      // A range read as single columns (no row array per input or output: a third less per row): the transaction
      // (as an offset from the chunk's first row), the flags and the holder packed in one number below 2^53.
      inKey: db.prepare(`SELECT ((tx_id - @lo) * 4 + coinbase * 2 + resolved) * ${HOLDER} + coalesce(address_id, -1) + 1 FROM inputs
        WHERE tx_id >= @lo AND tx_id <= @hi ORDER BY tx_id, n`).pluck(),
      inValue: db.prepare('SELECT value FROM inputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n').pluck(),
      inSequence: db.prepare('SELECT sequence FROM inputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n').pluck(),
      outKey: db.prepare(`SELECT ((tx_id - @lo) * 2 + (script_type = 'nulldata')) * ${HOLDER} + coalesce(address_id, -1) + 1 FROM outputs
        WHERE tx_id >= @lo AND tx_id <= @hi ORDER BY tx_id, n`).pluck(),
      outValue: db.prepare('SELECT value FROM outputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n').pluck(),
      outType: db.prepare('SELECT script_type FROM outputs WHERE tx_id >= ? AND tx_id <= ? ORDER BY tx_id, n').pluck(),
      byIds: (q: string) => [
        db.prepare(`SELECT ${c.txs} FROM txs WHERE id IN (${q}) ORDER BY id`).raw(),
        db.prepare(`SELECT ${c.inputs} FROM inputs WHERE tx_id IN (${q}) ORDER BY tx_id, n`).raw(),
        db.prepare(`SELECT ${c.outputs} FROM outputs WHERE tx_id IN (${q}) ORDER BY tx_id, n`).raw(),
        db.prepare(`SELECT tx_id, n, script FROM nulldata_scripts WHERE tx_id IN (${q})`).raw(),
      ] as const,
    };
  }
  const exactIn = db.prepare('SELECT CAST(value AS TEXT) FROM inputs WHERE tx_id = ? ORDER BY n').pluck();
  const exactOut = db.prepare('SELECT CAST(value AS TEXT) FROM outputs WHERE tx_id = ? ORDER BY n').pluck();
  const reader = (need: FactsNeed) => {
    let r = readers.get(need);
    if (r === undefined) readers.set(need, (r = prepare(need)));
    return r;
  };

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

  function assemble(need: FactsNeed, rows: TxRow[], ins: InRow[], outs: OutRow[], scripts: [number, number, Uint8Array][]): TxFacts {
    const b = factsBuilder(chain);
    const types = need !== 'ids';
    const values = need !== 'features';
    const nulldata = scriptTypeCode('nulldata');
    const other = scriptTypeCode('nonstandard');
    // OP_RETURN data sizes by output (tx row, n).
    const sizes = new Map<string, number>();
    for (const [tx, n, script] of scripts) sizes.set(`${tx}:${n}`, nulldataPayload(script)?.payload.length ?? -1);
    let i = 0;
    let o = 0;
    for (const r of rows) {
      const id = r[0];
      while (i < ins.length && ins[i][0] < id) i++;
      while (o < outs.length && outs[o][0] < id) o++;
      b.tx(id, r[1], r[2], r[3] ?? NaN, r[4] ?? 0, r[5] ?? 0, r[6] ?? NaN, r[7] ?? NaN);
      let exact: string[] | null = null;
      for (let first = i; i < ins.length && ins[i][0] === id; i++) {
        const [, addressId, value, sequence, coinbase, resolved] = ins[i];
        const a = addressId ?? -1;
        let v: bigint | null = null;
        if (values && value !== null) {
          if (value > SAFE || value < -SAFE) v = BigInt((exact ??= exactIn.all(id) as string[])[i - first]);
          else v = BigInt(value);
        }
        b.input(a, v, sequence, coinbase, resolved, types && a >= 0 ? typeCode(a) : NO_TYPE);
      }
      exact = null;
      for (let first = o; o < outs.length && outs[o][0] === id; o++) {
        const [, addressId, value, type] = outs[o];
        const code = typeof type === 'number' ? (type === 1 ? nulldata : other) : scriptTypeCode(type);
        const size = code !== nulldata ? 0 : (sizes.get(`${id}:${o - first}`) ?? -1);
        let v = 0n;
        if (values) v = value > SAFE || value < -SAFE ? BigInt((exact ??= exactOut.all(id) as string[])[o - first]) : BigInt(value);
        b.output(addressId ?? -1, v, code, size);
      }
    }
    return b.done();
  }

  /** A range of rows read column by column (`read` when the chunk's span and the address ids fit the packing). */
  function assembleColumns(need: FactsNeed, rows: TxRow[], lo: number, hi: number): TxFacts {
    const r = reader(need);
    const b = factsBuilder(chain);
    const types = need !== 'ids';
    const values = need !== 'features';
    const model = need !== 'ids';
    const nulldata = scriptTypeCode('nulldata');
    const other = scriptTypeCode('nonstandard');
    const inKey = r.inKey.all({ lo, hi }) as number[];
    const inValue = values ? (r.inValue.all(lo, hi) as (number | null)[]) : null;
    const inSequence = model ? (r.inSequence.all(lo, hi) as number[]) : null;
    const outKey = r.outKey.all({ lo, hi }) as number[];
    const outValue = values ? (r.outValue.all(lo, hi) as number[]) : null;
    const outType = need === 'all' ? (r.outType.all(lo, hi) as ScriptType[]) : null;
    const sizes = new Map<string, number>();
    if (values) for (const [tx, n, script] of r.scripts.all(lo, hi) as [number, number, Uint8Array][]) sizes.set(`${tx}:${n}`, nulldataPayload(script)?.payload.length ?? -1);
    let i = 0;
    let o = 0;
    for (const t of rows) {
      const id = t[0];
      const rel = id - lo;
      b.tx(id, t[1], t[2], t[3] ?? NaN, t[4] ?? 0, t[5] ?? 0, t[6] ?? NaN, t[7] ?? NaN);
      while (i < inKey.length && Math.floor(inKey[i] / HOLDER / 4) < rel) i++;
      let exact: string[] | null = null;
      for (let first = i; i < inKey.length; i++) {
        const key = inKey[i];
        const high = Math.floor(key / HOLDER);
        if (high >> 2 !== rel) break;
        const a = (key % HOLDER) - 1;
        let v: bigint | null = null;
        const value = inValue === null ? null : inValue[i];
        if (value !== null) v = value > SAFE || value < -SAFE ? BigInt((exact ??= exactIn.all(id) as string[])[i - first]) : BigInt(value);
        b.input(a, v, inSequence === null ? 0 : inSequence[i], (high >> 1) & 1, high & 1, types && a >= 0 ? typeCode(a) : NO_TYPE);
      }
      while (o < outKey.length && Math.floor(outKey[o] / HOLDER / 2) < rel) o++;
      exact = null;
      for (let first = o; o < outKey.length; o++) {
        const key = outKey[o];
        const high = Math.floor(key / HOLDER);
        if (high >> 1 !== rel) break;
        const code = outType !== null ? scriptTypeCode(outType[o]) : (high & 1) === 1 ? nulldata : other;
        const size = code !== nulldata ? 0 : (sizes.get(`${id}:${o - first}`) ?? -1);
        let v = 0n;
        if (outValue !== null) v = outValue[o] > SAFE || outValue[o] < -SAFE ? BigInt((exact ??= exactOut.all(id) as string[])[o - first]) : BigInt(outValue[o]);
        b.output((key % HOLDER) - 1, v, code, size);
      }
    }
    return b.done();
  }
  // Packing bounds: the chunk's rows within 2^20 of its first, address ids below 2^31 - 1.
  const maxAddress = () => db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number;
  let packable: boolean | null = null;

  return {
    /** The next transactions after row `after`, at most `limit`. */
    read(after: number, limit: number, need: FactsNeed): TxFacts {
      // A whole-chain reading that needs types types every address once, in one scan.
      if (need !== 'ids' && after === 0 && !typedAll) {
        typeAll();
        typedAll = true;
      }
      const r = reader(need);
      const rows = r.txs.all(chain, after, limit) as TxRow[];
      if (rows.length === 0) return factsBuilder(chain).done();
      const lo = rows[0][0];
      const hi = rows[rows.length - 1][0];
      packable ??= maxAddress() < HOLDER - 2;
      if (packable && hi - lo < 1 << 20) return assembleColumns(need, rows, lo, hi);
      const scripts = need === 'features' ? [] : (r.scripts.all(lo, hi) as [number, number, Uint8Array][]);
      return assemble(need, rows, r.ins.all(lo, hi) as InRow[], r.outs.all(lo, hi) as OutRow[], scripts);
    },
    /** Given rows (ascending), IN lists of at most 5,000. */
    readRows(ids: readonly number[], need: FactsNeed): TxFacts {
      if (ids.length <= 5000) {
        const q = ids.map(() => '?').join(',') || 'NULL';
        const [t, i, o, d] = reader(need).byIds(q);
        const scripts = need === 'features' ? [] : (d.all(...ids) as [number, number, Uint8Array][]);
        return assemble(need, t.all(...ids) as TxRow[], i.all(...ids) as InRow[], o.all(...ids) as OutRow[], scripts);
      }
      const parts: TxFacts[] = [];
      for (let k = 0; k < ids.length; k += 5000) parts.push(this.readRows(ids.slice(k, k + 5000), need));
      return joinFacts(chain, parts);
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
