import type { AccountTransaction, AddressActivity, Provenance, Spender, StoreStats, UtxoBlockHeader, UtxoInput, UtxoOutput, UtxoTransaction, ScriptType } from '@cryptotrace/core';
import type { Db } from './open.js';
import { NULLDATA_SCRIPT } from './nulldata-scripts.js';

interface TxRow {
  id: number;
  chain: string;
  txid: string;
  blockHash: string | null;
  blockHeight: number | null;
  blockTime: number | null;
  position: number | null;
  version: number;
  locktime: number;
  size: number | null;
  vsize: number | null;
}
interface OutputRow { txId: bigint; n: bigint; value: bigint; scriptType: ScriptType; holder: string | null; nulldata: Uint8Array | null }
interface InputRow { txId: bigint; n: bigint; prevTxid: string; prevVout: bigint; sequence: bigint; coinbase: bigint; holder: string | null; value: bigint | null; resolved: bigint }

const TX_COLUMNS = `t.id, t.chain, t.txid, t.block_hash AS blockHash, t.block_height AS blockHeight, t.block_time AS blockTime,
  t.position, t.version, t.locktime, t.size, t.vsize`;
const OUTPUT_SELECT = `SELECT o.tx_id AS txId, o.n, o.value, o.script_type AS scriptType, a.address AS holder, ${NULLDATA_SCRIPT} AS nulldata
  FROM outputs o LEFT JOIN addresses a ON a.id = o.address_id`;
const INPUT_SELECT = `SELECT i.tx_id AS txId, i.n, i.prev_txid AS prevTxid, i.prev_vout AS prevVout, i.sequence, i.coinbase,
  a.address AS holder, i.value, i.resolved FROM inputs i LEFT JOIN addresses a ON a.id = i.address_id`;

/** Script ids start with a kind and a colon; addresses never contain one. */
function splitHolder(holder: string | null): { address: string | null; scriptId: string | null } {
  if (holder === null) return { address: null, scriptId: null };
  return holder.includes(':') ? { address: null, scriptId: holder } : { address: holder, scriptId: null };
}

function toOutput(r: OutputRow): UtxoOutput {
  const o: UtxoOutput = { index: Number(r.n), value: r.value, scriptType: r.scriptType, ...splitHolder(r.holder) };
  if (r.nulldata !== null) o.nulldata = Buffer.from(r.nulldata).toString('hex');
  return o;
}

function toInput(r: InputRow): UtxoInput {
  return {
    index: Number(r.n),
    prevTxid: r.prevTxid,
    prevVout: Number(r.prevVout),
    sequence: Number(r.sequence),
    coinbase: Number(r.coinbase) === 1,
    ...splitHolder(r.holder),
    value: r.value,
    resolved: Number(r.resolved) === 1,
  };
}

function toTx(r: TxRow, inputs: UtxoInput[], outputs: UtxoOutput[]): UtxoTransaction {
  return {
    chain: r.chain,
    txid: r.txid,
    block: r.blockHash === null ? null : { hash: r.blockHash, height: r.blockHeight, time: r.blockTime ?? 0 },
    position: r.position,
    version: r.version,
    locktime: r.locktime,
    size: r.size,
    vsize: r.vsize,
    inputs,
    outputs,
  };
}

/** The read side of the SQLite store. */
export function createReader(db: Db) {
  const s = {
    tx: db.prepare(`SELECT ${TX_COLUMNS} FROM txs t WHERE t.chain = ? AND t.txid = ?`),
    outputs: db.prepare(`${OUTPUT_SELECT} WHERE o.tx_id = ? ORDER BY o.n`).safeIntegers(true),
    inputs: db.prepare(`${INPUT_SELECT} WHERE i.tx_id = ? ORDER BY i.n`).safeIntegers(true),
    accountTx: db.prepare(`SELECT t.id, t.chain, t.hash, t.block_number AS blockNumber, t.block_hash AS blockHash, t.block_time AS blockTime,
      t.position, t.nonce, f.address AS "from", r.address AS "to", t.value, t.fee, t.status, c.address AS contractAddress
      FROM account_txs t JOIN addresses f ON f.id = t.from_id LEFT JOIN addresses r ON r.id = t.to_id LEFT JOIN addresses c ON c.id = t.contract_id
      WHERE t.chain = ? AND t.hash = ?`),
    internal: db.prepare(`SELECT x.trace_address AS traceAddress, f.address AS "from", r.address AS "to", x.value, x.call_type AS callType
      FROM internal_transfers x JOIN addresses f ON f.id = x.from_id JOIN addresses r ON r.id = x.to_id WHERE x.tx_id = ? ORDER BY x.seq`),
    tokens: db.prepare(`SELECT k.address AS token, f.address AS "from", r.address AS "to", x.value, x.log_index AS logIndex
      FROM token_transfers x JOIN addresses k ON k.id = x.token_id JOIN addresses f ON f.id = x.from_id JOIN addresses r ON r.id = x.to_id
      WHERE x.tx_id = ? ORDER BY x.log_index`),
    block: db.prepare(`SELECT chain, hash, height, prev_hash AS prevHash, merkle_root AS merkleRoot, time, version, bits, nonce, tx_count AS txCount
      FROM blocks WHERE chain = ? AND hash = ?`),
    blockAt: db.prepare(`SELECT chain, hash, height, prev_hash AS prevHash, merkle_root AS merkleRoot, time, version, bits, nonce, tx_count AS txCount
      FROM blocks WHERE chain = ? AND height = ? LIMIT 1`),
    chainsOfTx: db.prepare('SELECT chain FROM txs WHERE txid = ? UNION SELECT chain FROM account_txs WHERE hash = ? ORDER BY 1').pluck(),
    chainsOfAddress: db.prepare('SELECT chain FROM addresses WHERE address = ? ORDER BY chain').pluck(),
    addressId: db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck(),
    utxoHistory: db.prepare(`SELECT t.chain, t.txid, t.block_height AS blockHeight, t.block_time AS blockTime, sum(received) AS received, sum(sent) AS sent, t.id
      FROM (SELECT tx_id, value AS received, 0 AS sent FROM outputs WHERE address_id = @id
            UNION ALL SELECT tx_id, 0, coalesce(value, 0) FROM inputs WHERE address_id = @id) x
      JOIN txs t ON t.id = x.tx_id GROUP BY t.id ORDER BY t.block_height IS NULL, t.block_height, t.position, t.id`).safeIntegers(true),
    accountHistory: db.prepare(`SELECT t.chain, t.hash AS txid, t.block_number AS blockHeight, t.block_time AS blockTime, x.asset, x.received, x.sent, x.ord
      FROM (SELECT id AS tx_id, 'native' AS asset, CASE WHEN to_id = @id THEN value ELSE '0' END AS received, CASE WHEN from_id = @id THEN value ELSE '0' END AS sent, 0 AS ord
              FROM account_txs WHERE (from_id = @id OR to_id = @id) AND status = 'success'
            UNION ALL SELECT tx_id, 'native', CASE WHEN to_id = @id THEN value ELSE '0' END, CASE WHEN from_id = @id THEN value ELSE '0' END, 1
              FROM internal_transfers WHERE from_id = @id OR to_id = @id
            UNION ALL SELECT x.tx_id, k.address, CASE WHEN x.to_id = @id THEN x.value ELSE '0' END, CASE WHEN x.from_id = @id THEN x.value ELSE '0' END, 2 + x.log_index
              FROM token_transfers x JOIN addresses k ON k.id = x.token_id WHERE x.from_id = @id OR x.to_id = @id) x
      JOIN account_txs t ON t.id = x.tx_id ORDER BY t.block_number, t.position, x.ord`),
    spender: db.prepare(`SELECT t.txid, i.n AS inputIndex FROM inputs i JOIN txs t ON t.id = i.tx_id
      WHERE i.prev_txid = ? AND i.prev_vout = ? AND t.chain = ? LIMIT 1`),
    iterTxs: db.prepare(`SELECT ${TX_COLUMNS} FROM txs t WHERE t.chain = ? ORDER BY t.id`),
    iterOutputs: db.prepare(`${OUTPUT_SELECT} JOIN txs t ON t.id = o.tx_id WHERE t.chain = ? ORDER BY o.tx_id, o.n`).safeIntegers(true),
    iterInputs: db.prepare(`${INPUT_SELECT} JOIN txs t ON t.id = i.tx_id WHERE t.chain = ? ORDER BY i.tx_id, i.n`).safeIntegers(true),
    provenance: db.prepare('SELECT source, locator, format, at FROM provenance ORDER BY id'),
    stats: db.prepare(`SELECT
      (SELECT count(*) FROM blocks) AS blocks,
      (SELECT count(*) FROM txs) + (SELECT count(*) FROM account_txs) AS transactions,
      (SELECT count(*) FROM addresses) AS addresses,
      (SELECT count(*) FROM inputs) AS inputs,
      (SELECT count(*) FROM outputs) AS outputs,
      (SELECT count(*) FROM inputs WHERE resolved = 0 AND coinbase = 0) AS unresolvedInputs,
      (SELECT count(*) FROM internal_transfers) AS internalTransfers,
      (SELECT count(*) FROM token_transfers) AS tokenTransfers,
      (SELECT count(*) FROM labels) AS labels,
      (SELECT count(*) FROM provenance) AS provenance`),
    chains: db.prepare('SELECT chain FROM txs UNION SELECT chain FROM account_txs UNION SELECT chain FROM blocks ORDER BY 1').pluck(),
  };

  function readUtxoTx(row: TxRow): UtxoTransaction {
    const inputs = (s.inputs.all(row.id) as InputRow[]).map(toInput);
    const outputs = (s.outputs.all(row.id) as OutputRow[]).map(toOutput);
    return toTx(row, inputs, outputs);
  }

  function readAccountTx(chain: string, hash: string): AccountTransaction | null {
    const r = s.accountTx.get(chain, hash) as (Omit<AccountTransaction, 'value' | 'fee' | 'internalTransfers' | 'tokenTransfers'> & { id: number; value: string; fee: string }) | undefined;
    if (!r) return null;
    const { id, ...rest } = r;
    return {
      ...rest,
      value: BigInt(r.value),
      fee: BigInt(r.fee),
      internalTransfers: (s.internal.all(id) as { traceAddress: string; from: string; to: string; value: string; callType: string }[]).map((t) => ({ ...t, value: BigInt(t.value) })),
      tokenTransfers: (s.tokens.all(id) as { token: string; from: string; to: string; value: string; logIndex: number }[]).map((t) => ({ ...t, value: BigInt(t.value) })),
    };
  }

  return {
    getTransaction(chain: string, txid: string): UtxoTransaction | AccountTransaction | null {
      const row = s.tx.get(chain, txid) as TxRow | undefined;
      return row ? readUtxoTx(row) : readAccountTx(chain, txid);
    },
    getBlock(chain: string, hashOrHeight: string | number): UtxoBlockHeader | null {
      const row = typeof hashOrHeight === 'number' ? s.blockAt.get(chain, hashOrHeight) : s.block.get(chain, hashOrHeight);
      return (row as UtxoBlockHeader | undefined) ?? null;
    },
    hasBlock(chain: string, hash: string): boolean {
      return s.block.get(chain, hash) !== undefined;
    },
    chainsOfTransaction: (txid: string) => s.chainsOfTx.all(txid, txid) as string[],
    chainsOfAddress: (address: string) => s.chainsOfAddress.all(address) as string[],
    addressHistory(chain: string, address: string): AddressActivity[] {
      const id = s.addressId.get(chain, address) as number | undefined;
      if (id === undefined) return [];
      const utxo = (s.utxoHistory.all({ id }) as { chain: string; txid: string; blockHeight: bigint | null; blockTime: bigint | null; received: bigint; sent: bigint }[]).map((r) => ({
        chain: r.chain, txid: r.txid, blockHeight: r.blockHeight === null ? null : Number(r.blockHeight), blockTime: r.blockTime === null ? null : Number(r.blockTime),
        received: BigInt(r.received), sent: BigInt(r.sent), asset: 'native',
      }));
      const account = (s.accountHistory.all({ id }) as { chain: string; txid: string; blockHeight: number; blockTime: number; asset: string; received: string; sent: string }[]).map((r) => ({
        chain: r.chain, txid: r.txid, blockHeight: r.blockHeight, blockTime: r.blockTime, received: BigInt(r.received), sent: BigInt(r.sent), asset: r.asset,
      }));
      return [...utxo, ...account];
    },
    spenderOf(chain: string, txid: string, vout: number): Spender | null {
      return (s.spender.get(txid, vout, chain) as Spender | undefined) ?? null;
    },
    *iterateUtxoTransactions(chain: string): IterableIterator<UtxoTransaction> {
      const outs = s.iterOutputs.iterate(chain) as IterableIterator<OutputRow>;
      const ins = s.iterInputs.iterate(chain) as IterableIterator<InputRow>;
      let o = outs.next();
      let i = ins.next();
      for (const row of s.iterTxs.iterate(chain) as IterableIterator<TxRow>) {
        const inputs: UtxoInput[] = [];
        const outputs: UtxoOutput[] = [];
        while (!i.done && Number(i.value.txId) === row.id) { inputs.push(toInput(i.value)); i = ins.next(); }
        while (!o.done && Number(o.value.txId) === row.id) { outputs.push(toOutput(o.value)); o = outs.next(); }
        yield toTx(row, inputs, outputs);
      }
    },
    stats(): StoreStats {
      return { chains: s.chains.all() as string[], ...(s.stats.get() as Omit<StoreStats, 'chains'>) };
    },
    provenance: () => s.provenance.all() as Provenance[],
  };
}
