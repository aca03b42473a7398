import type { AccountTransaction, CaseTx, InternalTransfer, ScriptType, TokenTransfer, UtxoCaseSource, UtxoInput, UtxoOutput, UtxoTransaction } from '@cryptotrace/core';
import type { Db } from './open.js';
import { CHUNK } from './taint-stream-facts.js';

export interface StreamUtxoOptions {
  /** forward: oldest block first (default); backward: newest first. */
  direction?: 'forward' | 'backward';
}

/**
 * Stream a chain's UTXO transactions in block order (by height, then position in the block; unconfirmed last), or in
 * reverse: one transaction in memory at a time, read with prepared statements. Whole-chain passes (the typology sources
 * `suspects --source typology:...`, accuracy scripts, the bench reference); the taint walk reads only its case
 * ({@link utxoCaseSource}).
 * @param db the store's database (`openSqliteStore(...).db`)
 * @param chain the chain to read
 * @returns an iterator of transactions with their inputs (values and holders resolved where known) and outputs
 * @example detectPeelChains(streamUtxoTransactions(store.db, 'bitcoin'))
 */
export function* streamUtxoTransactions(db: Db, chain: string, { direction = 'forward' }: StreamUtxoOptions = {}): IterableIterator<UtxoTransaction> {
  const asc = direction === 'forward';
  const order = asc ? 't.block_height IS NULL, t.block_height, t.position, t.id' : 't.block_height IS NULL DESC, t.block_height DESC, t.position DESC, t.id DESC';
  const txs = db.prepare(`SELECT ${TX_COLUMNS} FROM txs t WHERE t.chain = @chain ORDER BY ${order}`);
  const read = utxoTxReader(db, chain);
  // Reads while iterating are allowed in better-sqlite3; only the current row is held.
  for (const r of txs.iterate({ chain }) as IterableIterator<TxRow>) yield read(r);
}

export const TX_COLUMNS = 't.id, t.txid, t.block_hash AS blockHash, t.block_height AS blockHeight, t.block_time AS blockTime, t.position, t.version, t.locktime';

/**
 * A transaction row -> the model transaction, its inputs and outputs read with two prepared statements.
 * @param onlyChecked an input value that only its source vouches for (a claim its previous transaction, not
 *   stored, has not checked: `claimed_inputs`) is read as unknown: the taint walk never uses an unchecked value
 */
export function utxoTxReader(db: Db, chain: string, { onlyChecked = false }: { onlyChecked?: boolean } = {}): (r: TxRow) => UtxoTransaction {
  const outs = db.prepare(`SELECT o.n, o.value, o.script_type AS scriptType, a.address AS holder FROM outputs o LEFT JOIN addresses a ON a.id = o.address_id
    WHERE o.tx_id = ? ORDER BY o.n`).safeIntegers(true);
  const ins = db.prepare(onlyChecked
    ? `SELECT i.n, i.prev_txid AS prevTxid, i.prev_vout AS prevVout, i.sequence, i.coinbase, a.address AS holder,
        CASE WHEN c.tx_id IS NULL THEN i.value END AS value, CASE WHEN c.tx_id IS NULL THEN i.resolved ELSE 0 END AS resolved
      FROM inputs i LEFT JOIN addresses a ON a.id = i.address_id LEFT JOIN claimed_inputs c ON c.tx_id = i.tx_id AND c.n = i.n WHERE i.tx_id = ? ORDER BY i.n`
    : `SELECT i.n, i.prev_txid AS prevTxid, i.prev_vout AS prevVout, i.sequence, i.coinbase, a.address AS holder, i.value, i.resolved
      FROM inputs i LEFT JOIN addresses a ON a.id = i.address_id WHERE i.tx_id = ? ORDER BY i.n`).safeIntegers(true);
  return (r) => ({
    chain,
    txid: r.txid,
    block: r.blockHash === null ? null : { hash: r.blockHash, height: r.blockHeight, time: r.blockTime ?? 0 },
    position: r.position,
    version: r.version,
    locktime: r.locktime,
    size: null,
    vsize: null,
    inputs: (ins.all(r.id) as InRow[]).map(toInput),
    outputs: (outs.all(r.id) as OutRow[]).map(toOutput),
  });
}

/** A store-backed {@link UtxoCaseSource} that also counts the transactions it read. */
export interface StoreCaseSource extends UtxoCaseSource {
  /** Transactions read so far (the case, not the chain). */
  readonly visited: number;
}

/**
 * The transactions of a case, read from the store on demand for the case-bounded taint walk: the seeds' transactions
 * (by txid, by the holders they pay), the spenders of an output (index inputs(prev_txid, prev_vout)) and, walking
 * backward, the transaction that created an output. Each comes with its place in block order (height, position, row;
 * unconfirmed last), reversed for a backward walk, exactly the order {@link streamUtxoTransactions} reads the chain in.
 * @param db the store's database
 * @param chain the chain to read
 * @param direction the walk's direction
 * @example propagateUtxoTaint(utxoCaseSource(store.db, 'bitcoin'), { policy: 'fifo', seeds: { addresses: [a] } })
 */
export function utxoCaseSource(db: Db, chain: string, direction: 'forward' | 'backward' = 'forward'): StoreCaseSource {
  type Ref = { id: number; h: number | null; p: number | null };
  const one = db.prepare(`SELECT ${TX_COLUMNS} FROM txs t WHERE t.id = ?`);
  const byTxid = db.prepare('SELECT id, block_height AS h, position AS p FROM txs WHERE chain = ? AND txid = ?');
  // The spenders of every output of a transaction at once: the walk asks about a transaction's outputs one after another.
  const spenders = db.prepare('SELECT DISTINCT i.prev_vout AS v, t.id, t.block_height AS h, t.position AS p FROM inputs i CROSS JOIN txs t ON t.id = i.tx_id WHERE i.prev_txid = ? AND t.chain = ?');
  let spentTxid: string | null = null;
  let spentBy = new Map<number, Ref[]>();
  const spendersOf = (txid: string, vout: number): Ref[] => {
    if (txid !== spentTxid) {
      spentBy = new Map();
      for (const r of spenders.all(txid, chain) as (Ref & { v: number })[]) {
        const l = spentBy.get(r.v);
        if (l) l.push(r);
        else spentBy.set(r.v, [r]);
      }
      spentTxid = txid;
    }
    return spentBy.get(vout) ?? [];
  };
  const payers = db.prepare(`SELECT DISTINCT t.id, t.block_height AS h, t.position AS p FROM addresses a CROSS JOIN outputs o ON o.address_id = a.id CROSS JOIN txs t ON t.id = o.tx_id
    WHERE a.chain = ? AND a.address = ? AND t.chain = a.chain`);
  // CROSS JOIN keeps SQLite on the indexes (inputs_prevout, outputs_address), not a scan of the chain's txs.
  const read = utxoTxReader(db, chain, { onlyChecked: true });
  const sign = direction === 'forward' ? 1 : -1;
  let visited = 0;
  const ref = (r: { id: number; h: number | null; p: number | null }): CaseTx => ({
    order: [r.h === null ? sign : 0, sign * (r.h ?? 0), sign * (r.p ?? -1), sign * r.id],
    load: () => {
      visited++;
      return read(one.get(r.id) as TxRow);
    },
  });
  return {
    get visited() {
      return visited;
    },
    seedTransactions: (seeds) => [
      ...[...(seeds.txids ?? []), ...(seeds.outpoints ?? []).map((o) => o.txid)].flatMap((t) => (byTxid.all(chain, t) as Ref[]).map(ref)),
      ...(seeds.addresses ?? []).flatMap((a) => (payers.all(chain, a) as Ref[]).map(ref)),
    ],
    next: (txid, vout) => (direction === 'forward' ? spendersOf(txid, vout) : (byTxid.all(chain, txid) as Ref[])).map(ref),
  };
}

export interface TxRow { id: number; txid: string; blockHash: string | null; blockHeight: number | null; blockTime: number | null; position: number | null; version: number; locktime: number }
interface OutRow { n: bigint; value: bigint; scriptType: ScriptType; holder: string | null }
interface InRow { n: bigint; prevTxid: string; prevVout: bigint; sequence: bigint; coinbase: bigint; holder: string | null; value: bigint | null; resolved: bigint }

const split = (h: string | null) => (h === null ? { address: null, scriptId: null } : h.includes(':') ? { address: null, scriptId: h } : { address: h, scriptId: null });

function toOutput(r: OutRow): UtxoOutput {
  return { index: Number(r.n), value: r.value, scriptType: r.scriptType, ...split(r.holder) };
}

function toInput(r: InRow): UtxoInput {
  return { index: Number(r.n), prevTxid: r.prevTxid, prevVout: Number(r.prevVout), sequence: Number(r.sequence), coinbase: r.coinbase === 1n, ...split(r.holder), value: r.value, resolved: r.resolved === 1n };
}

/**
 * Stream a chain's account transactions in block order (block number, then position), with internal transfers in
 * call order and token transfers in log order: the input of the account-model taint walk.
 * @example propagateAccountTaint(streamAccountTransactions(store.db, 'ethereum'), { policy: 'fifo', seeds })
 */
export function* streamAccountTransactions(db: Db, chain: string): IterableIterator<AccountTransaction> {
  const txs = db.prepare(`SELECT t.id, t.hash, t.block_number AS blockNumber, t.block_hash AS blockHash, t.block_time AS blockTime, t.position, t.nonce,
      f.address AS "from", r.address AS "to", t.value, t.fee, t.status, c.address AS contractAddress
    FROM account_txs t JOIN addresses f ON f.id = t.from_id LEFT JOIN addresses r ON r.id = t.to_id LEFT JOIN addresses c ON c.id = t.contract_id
    WHERE t.chain = ? ORDER BY t.block_number, t.position, t.id`);
  const internal = db.prepare(`SELECT x.trace_address AS traceAddress, f.address AS "from", r.address AS "to", x.value, x.call_type AS callType
    FROM internal_transfers x JOIN addresses f ON f.id = x.from_id JOIN addresses r ON r.id = x.to_id WHERE x.tx_id = ? ORDER BY x.seq`);
  const tokens = db.prepare(`SELECT k.address AS token, f.address AS "from", r.address AS "to", x.value, x.log_index AS logIndex
    FROM token_transfers x JOIN addresses k ON k.id = x.token_id JOIN addresses f ON f.id = x.from_id JOIN addresses r ON r.id = x.to_id
    WHERE x.tx_id = ? ORDER BY x.log_index`);
  type Row = Omit<AccountTransaction, 'value' | 'fee' | 'internalTransfers' | 'tokenTransfers' | 'chain'> & { id: number; value: string; fee: string };
  for (const r of txs.iterate(chain) as IterableIterator<Row>) {
    const { id, ...rest } = r;
    yield {
      ...rest,
      chain,
      value: BigInt(r.value),
      fee: BigInt(r.fee),
      internalTransfers: (internal.all(id) as (Omit<InternalTransfer, 'value'> & { value: string })[]).map((t) => ({ ...t, value: BigInt(t.value) })),
      tokenTransfers: (tokens.all(id) as (Omit<TokenTransfer, 'value'> & { value: string })[]).map((t) => ({ ...t, value: BigInt(t.value) })),
    };
  }
}

/** Look-ups the taint summary and the ranking need from the store, cached per address. */
export interface TaintLookups {
  /** Everything the holder received on the chain (outputs, or incoming native transfers). */
  receivedOf(holder: string): bigint | null;
  /** `cluster:<root address>` when the store holds a cluster of two or more for the holder, else null. */
  clusterOf(holder: string): string | null;
  /** Read both for many holders at once (500 a query), so that the calls after are answered from memory. */
  prefetch(holders: readonly string[]): void;
}

/**
 * Store-backed look-ups for {@link summarizeTaint} and {@link rankSuspects}: totals received and persisted clusters.
 * @example summarizeTaint(run, taintLookups(store.db, 'bitcoin'))
 */
export function taintLookups(db: Db, chain: string): TaintLookups {
  const id = db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck();
  const utxo = db.prepare('SELECT coalesce(sum(value), 0) FROM outputs WHERE address_id = ?').pluck().safeIntegers(true);
  const native = db.prepare(`SELECT value FROM account_txs WHERE to_id = @id AND status = 'success'
    UNION ALL SELECT value FROM internal_transfers WHERE to_id = @id AND trace_address <> ''`).pluck();
  const hasClusters = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'cluster_members'").get() !== undefined;
  const cluster = hasClusters
    ? db.prepare('SELECT a.address FROM cluster_members m JOIN addresses a ON a.id = m.cluster_id WHERE m.address_id = ?').pluck()
    : null;
  const received = new Map<string, bigint | null>();
  const clusters = new Map<string, string | null>();
  const list = 'SELECT value FROM json_each(?)';
  const ids = db.prepare(`SELECT id, address FROM addresses WHERE chain = ? AND address IN (${list})`).raw();
  const utxos = db.prepare(`SELECT address_id, coalesce(sum(value), 0) FROM outputs WHERE address_id IN (${list}) GROUP BY address_id`).raw().safeIntegers(true);
  const natives = db.prepare(`SELECT to_id, value FROM account_txs WHERE to_id IN (${list}) AND status = 'success'
    UNION ALL SELECT to_id, value FROM internal_transfers WHERE to_id IN (${list}) AND trace_address <> ''`).raw();
  const roots = hasClusters ? db.prepare(`SELECT m.address_id, a.address FROM cluster_members m JOIN addresses a ON a.id = m.cluster_id WHERE m.address_id IN (${list})`).raw() : null;
  const prefetch = (holders: readonly string[]) => {
    const todo = [...new Set(holders)].filter((h) => !received.has(h) || !clusters.has(h));
    for (let c = 0; c < todo.length; c += CHUNK) {
      const part = todo.slice(c, c + CHUNK);
      const byId = new Map<number, string>();
      for (const [id, address] of ids.all(chain, JSON.stringify(part)) as [number, string][]) byId.set(id, address);
      const chunk = JSON.stringify([...byId.keys()]);
      const total = new Map<number, bigint>([...byId.keys()].map((id) => [id, 0n]));
      for (const [id, sum] of utxos.all(chunk) as [bigint, bigint][]) total.set(Number(id), sum);
      for (const [id, v] of natives.all(chunk, chunk) as [number, string][]) total.set(id, total.get(id)! + BigInt(v));
      const rootOf = new Map<number, string>();
      if (roots) for (const [id, root] of roots.all(chunk) as [number, string][]) rootOf.set(id, root);
      for (const h of part) {
        received.set(h, null);
        clusters.set(h, null);
      }
      for (const [id, h] of byId) {
        received.set(h, total.get(id)!);
        const root = rootOf.get(id);
        clusters.set(h, root === undefined ? null : `cluster:${root}`);
      }
    }
  };
  return {
    prefetch,
    receivedOf(holder) {
      if (received.has(holder)) return received.get(holder)!;
      const a = id.get(chain, holder) as number | undefined;
      let total: bigint | null = null;
      if (a !== undefined) {
        total = BigInt(utxo.get(a) as bigint);
        for (const v of native.all({ id: a }) as string[]) total += BigInt(v);
      }
      received.set(holder, total);
      return total;
    },
    clusterOf(holder) {
      if (clusters.has(holder)) return clusters.get(holder)!;
      const a = id.get(chain, holder) as number | undefined;
      const root = a === undefined || !cluster ? undefined : (cluster.get(a) as string | undefined);
      const c = root === undefined ? null : `cluster:${root}`;
      clusters.set(holder, c);
      return c;
    },
  };
}
