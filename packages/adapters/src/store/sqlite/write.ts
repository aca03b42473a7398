import type { AccountTransaction, IngestBatch, IngestResult, InputCorrection, UtxoBlockHeader, UtxoInput, UtxoTransaction } from '@cryptotrace/core';
import { CtraceError, holderOf } from '@cryptotrace/core';
import { type KeyIds, addKeyId, findKeyId, isStoredRow, loadKeyIds } from './key-ids.js';
import { type Db, writeImmediately } from './open.js';
import { type PendingRows, insertPending, pendingAt, pendingRows } from './pending-rows.js';

/** Writes batches into an open store, each in one SQLite transaction. */
export type BatchWriter = (batch: IngestBatch) => IngestResult;

interface Counts {
  blocks: number;
  transactions: number;
  duplicates: number;
  resolvedInputs: number;
  correctedInputs: InputCorrection[];
}

/** Address ids kept per chain, in two generations of this many each. */
const ADDRESS_CACHE_LIMIT = 500_000;
/** Transactions whose outputs are kept for resolving spends without a query: recent ones, in two generations. */
const OUTPUT_CACHE_TXS = 150_000;

/** The value and holder id of each output of a transaction this writer stored. */
interface StoredOutputs {
  chain: string;
  values: bigint[];
  holders: (number | null)[];
}

export interface BatchWriterOptions {
  /**
   * A bulk load's writer (bulk-load.ts). The unique indexes of txs and addresses are dropped, so the writer keeps
   * their uniqueness itself: the ids of the stored rows by txid and address are held in memory (key-ids.ts, filled
   * from the store when it starts or finds that another writer wrote). An input stored before its previous
   * transaction stays unresolved until the load's end resolves all of them in one statement (finishBulkLoad),
   * instead of each output looking for inputs waiting for it.
   */
  bulkLoad?: boolean;
}

/**
 * Make the writer of a store. Idempotent: a transaction or block already stored is skipped, except that what the
 * batch knows and the store does not (its block, its inputs' previous outputs) is filled in. Rows of outputs and
 * inputs wait in memory (pending-rows.ts) until the batch ends or a statement reads their table; so do a bulk
 * load's rows of addresses and transactions, with ids the writer gives (the next after the table's largest, as
 * SQLite would give them).
 */
export function createBatchWriter(db: Db, { bulkLoad = false }: BatchWriterOptions = {}): BatchWriter {
  // Address ids by chain, then by address (no key built per lookup).
  const addressIds = new Map<string, Generations<string, number>>();
  // Outputs are never updated or deleted once stored, so what this writer stored answers a later spend of it
  // exactly as the prevout query would; the query stays for everything else.
  // Keyed by txid; an entry of another chain is a miss (the query answers).
  const storedOutputs = generations<string, StoredOutputs>(OUTPUT_CACHE_TXS);
  // Whether an input may be waiting for an output: checked once per batch, then set when an input is stored
  // unresolved, so that a store without waiting inputs is not probed once per output.
  let mayWait = true;
  // Likewise whether an input's claimed value may wait for its previous transaction to check it.
  let mayClaim = true;
  // A bulk load's next ids, read at the start of each batch (inside its write lock).
  let nextTxId = 0;
  let nextAddressId = 0;
  // A bulk load's ids of stored rows, and the next ids they were loaded or kept up to: a batch that finds other
  // next ids in the store (another process wrote) loads them again, as does the batch after one that rolled back.
  let keys: { txs: KeyIds; addresses: KeyIds; nextTxId: number; nextAddressId: number } | null = null;
  const rows = {
    addresses: pendingRows(db, 'addresses', ['id', 'chain', 'address']),
    txs: pendingRows(db, 'txs', ['id', 'chain', 'txid', 'block_hash', 'block_height', 'block_time', 'position', 'version', 'locktime', 'size', 'vsize', 'provenance_id']),
    outputs: pendingRows(db, 'outputs', ['tx_id', 'n', 'value', 'script_type', 'address_id']),
    inputs: pendingRows(db, 'inputs', ['tx_id', 'n', 'prev_txid', 'prev_vout', 'sequence', 'coinbase', 'address_id', 'value', 'resolved']),
  };
  /** Insert the pending rows: before any statement reads or updates their tables, and at the end of a batch. */
  const flush = () => {
    insertPending(rows.addresses);
    insertPending(rows.txs);
    insertPending(rows.outputs);
    insertPending(rows.inputs);
  };
  const s = {
    provenance: db.prepare('INSERT INTO provenance (source, locator, format, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    provenanceGet: db.prepare('SELECT id FROM provenance WHERE source = ? AND locator = ? AND format = ? AND at = ?').pluck(),
    maxAddressId: db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck(),
    maxTxId: db.prepare('SELECT coalesce(max(id), 0) FROM txs').pluck(),
    addressInsert: db.prepare('INSERT INTO addresses (chain, address) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    addressGet: db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck(),
    block: db.prepare(`INSERT INTO blocks (chain, hash, height, prev_hash, merkle_root, time, version, bits, nonce, tx_count, provenance_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET height = coalesce(blocks.height, excluded.height)`),
    tx: db.prepare(`INSERT INTO txs (chain, txid, block_hash, block_height, block_time, position, version, locktime, size, vsize, provenance_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    txGet: db.prepare('SELECT id FROM txs WHERE chain = ? AND txid = ?').pluck(),
    txPlace: db.prepare('UPDATE txs SET block_hash = ?, block_height = ?, block_time = ?, position = ? WHERE id = ? AND (block_hash IS NULL OR block_height IS NULL)'),
    nulldata: db.prepare('INSERT INTO nulldata_scripts (tx_id, n, script) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    inputDerived: db.prepare('UPDATE inputs SET address_id = ? WHERE tx_id = ? AND n = ? AND resolved = 0 AND address_id IS NULL'),
    prevout: db.prepare(`SELECT o.value, o.address_id AS addressId FROM txs t JOIN outputs o ON o.tx_id = t.id AND o.n = ?
      WHERE t.chain = ? AND t.txid = ?`).safeIntegers(true),
    // A bulk load's: the previous transaction's id from memory (txs has no index on txid then).
    outputOf: db.prepare('SELECT value, address_id AS addressId FROM outputs WHERE tx_id = ? AND n = ?').safeIntegers(true),
    inputComplete: db.prepare('UPDATE inputs SET address_id = ?, value = ?, resolved = ? WHERE tx_id = ? AND n = ? AND resolved = 0'),
    anyWaiting: db.prepare('SELECT EXISTS (SELECT 1 FROM inputs WHERE resolved = 0 AND coinbase = 0)').pluck(),
    resolveWaiting: db.prepare(`UPDATE inputs SET address_id = ?, value = ?, resolved = 1
      WHERE resolved = 0 AND coinbase = 0 AND prev_txid = ? AND prev_vout = ? AND EXISTS (SELECT 1 FROM txs WHERE txs.id = inputs.tx_id AND txs.chain = ?)`),
    anyClaimed: db.prepare('SELECT EXISTS (SELECT 1 FROM claimed_inputs)').pluck(),
    claim: db.prepare('INSERT INTO claimed_inputs (tx_id, n, prev_txid, prev_vout) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    claimsOf: db.prepare(`SELECT c.tx_id AS txId, c.n, c.prev_vout AS prevVout, t.txid, i.value, i.address_id AS addressId FROM claimed_inputs c
      JOIN txs t ON t.id = c.tx_id JOIN inputs i ON i.tx_id = c.tx_id AND i.n = c.n WHERE c.prev_txid = ? AND t.chain = ?`).safeIntegers(true),
    claimsDone: db.prepare('DELETE FROM claimed_inputs WHERE prev_txid = ? AND EXISTS (SELECT 1 FROM txs WHERE txs.id = claimed_inputs.tx_id AND txs.chain = ?)'),
    inputCorrect: db.prepare('UPDATE inputs SET value = ?, address_id = ?, resolved = ? WHERE tx_id = ? AND n = ?'),
    conflict: db.prepare(`INSERT INTO input_conflicts (tx_id, n, claimed_value, claimed_address_id, actual_value, actual_address_id, provenance_id)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    accountTxGet: db.prepare('SELECT id FROM account_txs WHERE chain = ? AND hash = ?').pluck(),
    accountTx: db.prepare(`INSERT INTO account_txs (chain, hash, block_number, block_hash, block_time, position, nonce, from_id, to_id, value, fee, status, contract_id, provenance_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    internal: db.prepare('INSERT INTO internal_transfers (tx_id, trace_address, seq, from_id, to_id, value, call_type) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    token: db.prepare('INSERT INTO token_transfers (tx_id, log_index, token_id, from_id, to_id, value) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    tokenInfo: db.prepare(`INSERT INTO tokens (chain, address, name, symbol, decimals) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET name = coalesce(excluded.name, tokens.name), symbol = coalesce(excluded.symbol, tokens.symbol), decimals = coalesce(excluded.decimals, tokens.decimals)`),
  };

  /**
   * The id of an address, a new one for an address not stored. A bulk load asks its ids in memory (no cache in
   * front: most addresses of a load are new, and a cache of strings costs more than it saves) and gives a new
   * address the next id, its row pending; otherwise the recent ids are cached, and an address not cached is inserted
   * at once, the unique index telling whether it was stored.
   */
  function addressId(chain: string, holder: string): number {
    if (keys) return findKeyId(keys.addresses, chain, holder, isAddressRow) || newAddress(chain, holder);
    let ids = addressIds.get(chain);
    const cached = ids?.get(holder);
    if (cached !== undefined) return cached;
    const info = s.addressInsert.run(chain, holder);
    const id = info.changes > 0 ? Number(info.lastInsertRowid) : (s.addressGet.get(chain, holder) as number);
    if (ids === undefined) {
      ids = generations(ADDRESS_CACHE_LIMIT);
      addressIds.set(chain, ids);
    }
    ids.set(holder, id);
    return id;
  }

  function newAddress(chain: string, holder: string): number {
    const id = nextAddressId++;
    rows.addresses.values.push(id, chain, holder);
    addKeyId(keys!.addresses, chain, holder, id);
    return id;
  }

  // Whether the row of an id found in memory is the one of this chain and key: a pending row is compared here, a
  // stored one asked (so that a match neither inserts the pending rows early nor queries for a row of this batch).
  const isAddressRow = (id: number, chain: string, key: string) => isKeyedRow(rows.addresses, keys!.addresses, id, chain, key);
  const isTxRow = (id: number, chain: string, key: string) => isKeyedRow(rows.txs, keys!.txs, id, chain, key);

  /**
   * Store a transaction's row: its new id, or minus the id of the row that holds it already. A bulk load asks its
   * ids in memory and gives a new transaction the next id, its row pending; otherwise the row is inserted at once,
   * the unique index telling whether it was stored.
   */
  function txRow(tx: UtxoTransaction, provenanceId: number): number {
    const b = tx.block;
    if (keys) {
      const stored = findKeyId(keys.txs, tx.chain, tx.txid, isTxRow);
      if (stored !== 0) return -stored;
      const id = nextTxId++;
      rows.txs.values.push(id, tx.chain, tx.txid, b?.hash ?? null, b?.height ?? null, b?.time ?? null, tx.position, tx.version, tx.locktime, tx.size, tx.vsize, provenanceId);
      addKeyId(keys.txs, tx.chain, tx.txid, id);
      return id;
    }
    const info = s.tx.run(tx.chain, tx.txid, b?.hash ?? null, b?.height ?? null, b?.time ?? null, tx.position, tx.version, tx.locktime, tx.size, tx.vsize, provenanceId);
    return info.changes > 0 ? Number(info.lastInsertRowid) : -(s.txGet.get(tx.chain, tx.txid) as number);
  }

  const holderId = (chain: string, io: { address: string | null; scriptId: string | null }): number | null => {
    const h = holderOf(io);
    return h === null ? null : addressId(chain, h);
  };

  function writeBlock(b: UtxoBlockHeader, provenanceId: number, c: Counts): void {
    const info = s.block.run(b.chain, b.hash, b.height, b.prevHash, b.merkleRoot, b.time, b.version, b.bits, b.nonce, b.txCount, provenanceId);
    if (info.changes > 0) c.blocks++;
  }

  function writeUtxoTx(tx: UtxoTransaction, provenanceId: number, c: Counts): void {
    const txId = txRow(tx, provenanceId);
    if (txId < 0) {
      c.duplicates++;
      completeUtxoTx(tx, -txId, c);
      return;
    }
    c.transactions++;
    const stored: StoredOutputs = { chain: tx.chain, values: [], holders: [] };
    for (const o of tx.outputs) {
      const addr = holderId(tx.chain, o);
      rows.outputs.values.push(txId, o.index, o.value, o.scriptType, addr);
      if (o.nulldata !== undefined) s.nulldata.run(txId, o.index, Buffer.from(o.nulldata, 'hex'));
      stored.values[o.index] = o.value;
      stored.holders[o.index] = addr;
      if (mayWait && o.scriptType !== 'nulldata') {
        flush();
        c.resolvedInputs += s.resolveWaiting.run(addr, o.value, tx.txid, o.index, tx.chain).changes;
      }
    }
    storedOutputs.set(tx.txid, stored);
    if (mayClaim) checkClaims(tx, stored, provenanceId, c);
    let inputTotal: bigint | null = 0n;
    for (const i of tx.inputs) {
      if (i.coinbase) {
        rows.inputs.values.push(txId, i.index, i.prevTxid, i.prevVout, i.sequence, 1, null, null, 1);
        inputTotal = null;
        continue;
      }
      const prev = storedOutput(tx.chain, i.prevTxid, i.prevVout);
      if (prev) {
        if (i.resolved) refuseContradiction(tx, i, prev);
        rows.inputs.values.push(txId, i.index, i.prevTxid, i.prevVout, i.sequence, 0, prev.addressId, prev.value, 1);
        c.resolvedInputs++;
        if (inputTotal !== null) inputTotal += prev.value;
      } else {
        rows.inputs.values.push(txId, i.index, i.prevTxid, i.prevVout, i.sequence, 0, holderId(tx.chain, i), i.value, i.resolved ? 1 : 0);
        if (i.resolved) {
          c.resolvedInputs++;
          // The source's word until the previous transaction arrives and checks it.
          s.claim.run(txId, i.index, i.prevTxid, i.prevVout);
          mayClaim = true;
        } else mayWait = !bulkLoad;
        inputTotal = inputTotal === null || i.value === null ? null : inputTotal + i.value;
      }
    }
    const outputTotal = tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    if (inputTotal !== null && inputTotal < outputTotal) {
      throw new CtraceError('INPUT_INCONSISTENT', `transaction ${tx.txid} spends ${inputTotal} but pays out ${outputTotal}: its input values do not add up (a negative fee); nothing of the batch was stored`);
    }
  }

  /** An input whose claimed value or holder its stored previous transaction contradicts: the batch is refused. */
  function refuseContradiction(tx: UtxoTransaction, i: UtxoInput, prev: { value: bigint; addressId: bigint | number | null }): void {
    const claimedHolder = holderOf(i);
    const holderDiffers = claimedHolder !== null && prev.addressId !== null && holderId(tx.chain, i) !== Number(prev.addressId);
    if ((i.value === null || i.value === prev.value) && !holderDiffers) return;
    const what = i.value !== null && i.value !== prev.value ? `claims ${i.value} for ${i.prevTxid}:${i.prevVout}, which holds ${prev.value} in the store` : `claims ${i.prevTxid}:${i.prevVout} pays ${claimedHolder}, which the stored transaction does not`;
    throw new CtraceError('INPUT_INCONSISTENT', `transaction ${tx.txid} input ${i.index} ${what}; nothing of the batch was stored`);
  }

  /**
   * A transaction just stored checks the claims of inputs stored before it that spend its outputs: each claim
   * is marked checked; one it contradicts is corrected to its output (value and holder) and recorded.
   */
  function checkClaims(parent: UtxoTransaction, stored: StoredOutputs, provenanceId: number, c: Counts): void {
    flush();
    const claims = s.claimsOf.all(parent.txid, parent.chain) as { txId: bigint; n: bigint; prevVout: bigint; txid: string; value: bigint | null; addressId: bigint | null }[];
    if (claims.length === 0) return;
    for (const k of claims) {
      const vout = Number(k.prevVout);
      const value = stored.values[vout] ?? null;
      const holder = stored.holders[vout] ?? null;
      const holderDiffers = k.addressId !== null && holder !== null && Number(k.addressId) !== holder;
      if (value === k.value && !holderDiffers) continue;
      s.inputCorrect.run(value, holder ?? k.addressId, value === null ? 0 : 1, k.txId, k.n);
      s.conflict.run(k.txId, k.n, k.value, k.addressId, value, holder, provenanceId);
      c.correctedInputs.push({ txid: k.txid, index: Number(k.n), prevTxid: parent.txid, prevVout: vout, claimedValue: k.value, actualValue: value });
    }
    s.claimsDone.run(parent.txid, parent.chain);
  }

  /** The value and holder of a stored output: from what this writer stored, else from the store. */
  function storedOutput(chain: string, txid: string, vout: number): { value: bigint; addressId: bigint | number | null } | undefined {
    const known = storedOutputs.get(txid);
    if (known && known.chain === chain) {
      const value = known.values[vout];
      return value === undefined ? undefined : { value, addressId: known.holders[vout] };
    }
    if (keys) {
      const id = findKeyId(keys.txs, chain, txid, isTxRow);
      if (id === 0) return undefined;
      // A transaction's outputs are pending while it is (and then the outputs cache has them, but it forgets).
      if (pendingAt(rows.txs, id) >= 0) flush();
      return s.outputOf.get(id, vout) as { value: bigint; addressId: bigint | null } | undefined;
    }
    flush();
    return s.prevout.get(vout, chain, txid) as { value: bigint; addressId: bigint | null } | undefined;
  }

  /** A transaction seen again: take what this copy knows that the stored one did not. */
  function completeUtxoTx(tx: UtxoTransaction, id: number, c: Counts): void {
    flush();
    if (tx.block && tx.block.height !== null) s.txPlace.run(tx.block.hash, tx.block.height, tx.block.time, tx.position, id);
    for (const o of tx.outputs) if (o.nulldata !== undefined) s.nulldata.run(id, o.index, Buffer.from(o.nulldata, 'hex'));
    for (const i of tx.inputs) {
      if (i.coinbase) continue;
      // An unresolved input's holder, derived from its spending data, fills one the stored copy had not.
      if (!i.resolved) {
        if (holderOf(i) !== null) {
          const holder = holderId(tx.chain, i);
          flush();
          s.inputDerived.run(holder, id, i.index);
        }
        continue;
      }
      const holder = holderId(tx.chain, i);
      flush();
      const filled = s.inputComplete.run(holder, i.value, 1, id, i.index).changes;
      // An input still waiting has no stored previous transaction: what this copy says of it is a claim.
      if (filled > 0) {
        s.claim.run(id, i.index, i.prevTxid, i.prevVout);
        mayClaim = true;
      }
      c.resolvedInputs += filled;
    }
  }

  function writeAccountTx(tx: AccountTransaction, provenanceId: number, c: Counts): void {
    const id = (a: string) => addressId(tx.chain, a);
    const info = s.accountTx.run(tx.chain, tx.hash, tx.blockNumber, tx.blockHash, tx.blockTime, tx.position, tx.nonce, id(tx.from),
      tx.to === null ? null : id(tx.to), tx.value.toString(), tx.fee.toString(), tx.status, tx.contractAddress === null ? null : id(tx.contractAddress), provenanceId);
    let txId: number;
    if (info.changes === 0) {
      // Seen before: a copy that carries transfers the stored one lacks (a node without traces, then one with them)
      // fills them in; the transfers' keys make this a no-op otherwise.
      c.duplicates++;
      txId = s.accountTxGet.get(tx.chain, tx.hash) as number;
    } else {
      c.transactions++;
      txId = Number(info.lastInsertRowid);
    }
    for (const [seq, t] of tx.internalTransfers.entries()) s.internal.run(txId, t.traceAddress, seq, id(t.from), id(t.to), t.value.toString(), t.callType);
    for (const t of tx.tokenTransfers) s.token.run(txId, t.logIndex, id(t.token), id(t.from), id(t.to), t.value.toString());
  }

  const writeAll = db.transaction((batch: IngestBatch): IngestResult => {
    const p = batch.provenance;
    s.provenance.run(p.source, p.locator, p.format, p.at);
    const provenanceId = s.provenanceGet.get(p.source, p.locator, p.format, p.at) as number;
    const c: Counts = { blocks: 0, transactions: 0, duplicates: 0, resolvedInputs: 0, correctedInputs: [] };
    if (bulkLoad) {
      nextTxId = (s.maxTxId.get() as number) + 1;
      nextAddressId = (s.maxAddressId.get() as number) + 1;
      if (keys === null || keys.nextTxId !== nextTxId || keys.nextAddressId !== nextAddressId) {
        keys = { txs: loadKeyIds(db, 'txs'), addresses: loadKeyIds(db, 'addresses'), nextTxId, nextAddressId };
      }
    }
    mayWait = !bulkLoad && s.anyWaiting.get() === 1;
    mayClaim = s.anyClaimed.get() === 1;
    for (const b of batch.blocks ?? []) writeBlock(b, provenanceId, c);
    for (const tx of batch.utxoTransactions ?? []) writeUtxoTx(tx, provenanceId, c);
    for (const tx of batch.accountTransactions ?? []) writeAccountTx(tx, provenanceId, c);
    for (const t of batch.tokens ?? []) s.tokenInfo.run(t.chain, t.address, t.name, t.symbol, t.decimals);
    flush();
    if (keys) {
      keys.nextTxId = nextTxId;
      keys.nextAddressId = nextAddressId;
    }
    const { correctedInputs, ...counts } = c;
    return correctedInputs.length > 0 ? { ...counts, correctedInputs } : counts;
  });

  return (batch) => {
    try {
      return writeImmediately(db, () => writeAll.immediate(batch));
    } catch (err) {
      // Ids handed out inside the rolled-back transaction are gone with it, and so are the outputs it stored.
      addressIds.clear();
      storedOutputs.clear();
      keys = null;
      for (const r of Object.values(rows)) r.values.length = 0;
      throw err;
    }
  };
}

/** Whether row `id` of a keyed table (id, chain, key, ...) has this chain and key: among its pending rows, or stored. */
function isKeyedRow(p: PendingRows, k: KeyIds, id: number, chain: string, key: string): boolean {
  const at = pendingAt(p, id);
  return at >= 0 ? p.values[at + 1] === chain && p.values[at + 2] === key : isStoredRow(k, id, chain, key);
}

/** One line on the input claims a write corrected (fetch's and ingest's note), or null when there were none. */
export function correctionsNote(list: readonly InputCorrection[]): string | null {
  if (list.length === 0) return null;
  const k = list[0];
  const actual = k.actualValue === null ? `which has no output ${k.prevVout}` : `which holds ${k.actualValue} there`;
  const first = `transaction ${k.txid} input ${k.index} claimed ${k.claimedValue ?? 'an unknown value'} for ${k.prevTxid}:${k.prevVout}, ${actual}`;
  const n = list.length === 1 ? 'an input value a source claimed was' : `${list.length} input values a source claimed were`;
  return `${n} contradicted by the previous transaction and corrected to it (kept in input_conflicts; taint uses the corrected values): ${list.length === 1 ? '' : 'the first, '}${first}`;
}

/** A map that forgets in halves: once `limit` entries are set since the last turn, the older generation is dropped. */
interface Generations<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  clear(): void;
}

function generations<K, V>(limit: number): Generations<K, V> {
  let recent = new Map<K, V>();
  let older = new Map<K, V>();
  return {
    get: (key) => recent.get(key) ?? older.get(key),
    set(key, value) {
      if (recent.size >= limit) {
        older = recent;
        recent = new Map();
      }
      recent.set(key, value);
    },
    clear() {
      recent = new Map();
      older = new Map();
    },
  };
}
