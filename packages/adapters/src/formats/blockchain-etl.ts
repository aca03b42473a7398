import { COINBASE_PREV_TXID, CtraceError, type Chain, type UtxoInput, type UtxoTransaction, utxoNetwork } from '@cryptotrace/core';
import { outputOfScript } from '../bitcoin/script.js';
import { baseUnits, field, isObject } from './json.js';

/** A transaction row of a blockchain-etl export (the BigQuery `transactions` schema, nested inputs and outputs). */
export function isEtlTx(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.hash === 'string' && Array.isArray(v.inputs) && Array.isArray(v.outputs);
}

/**
 * Turn a blockchain-etl transaction into the model. Outputs are classified from their `script_hex`, as raw data
 * is; inputs carry their previous output's `addresses` and `value`, so they are stored as resolved where the
 * holder can be named (a `pubkey` input becomes its `p2pk:` id; bare multisig and non-standard inputs keep the
 * value and wait for the previous transaction). The totals the export states must add up.
 * @throws CtraceError INPUT_MALFORMED, INPUT_INCONSISTENT
 */
export function decodeEtlTx(json: Record<string, unknown>, chain: Chain, where: string): UtxoTransaction {
  const network = utxoNetwork(chain);
  const txid = field<string>(json, 'hash', where);
  const at = `${where} tx ${txid}`;
  const coinbase = json.is_coinbase === true;
  const inputs: UtxoInput[] = coinbase
    ? [{ index: 0, prevTxid: COINBASE_PREV_TXID, prevVout: 0xffffffff, sequence: 0xffffffff, coinbase: true, address: null, scriptId: null, value: null, resolved: false }]
    : (json.inputs as Record<string, unknown>[]).map((i) => etlInput(i, at));
  const outputs = (json.outputs as Record<string, unknown>[]).map((o) =>
    outputOfScript(Number(field(o, 'index', at)), baseUnits(field(o, 'value', at), at), Buffer.from(String(o.script_hex ?? ''), 'hex'), network));
  const tx: UtxoTransaction = {
    chain: chain.name,
    txid,
    block: typeof json.block_hash === 'string'
      ? { hash: json.block_hash, height: json.block_number === undefined ? null : Number(json.block_number), time: Number(json.block_timestamp ?? 0) }
      : null,
    position: json.index === undefined ? null : Number(json.index),
    version: Number(json.version ?? 1) >>> 0,
    locktime: Number(json.lock_time ?? 0) >>> 0,
    size: json.size === undefined ? null : Number(json.size),
    vsize: json.virtual_size === undefined ? null : Number(json.virtual_size),
    inputs,
    outputs,
  };
  checkTotals(tx, json, at);
  return tx;
}

function etlInput(i: Record<string, unknown>, at: string): UtxoInput {
  const addresses = Array.isArray(i.addresses) ? (i.addresses as string[]) : [];
  const type = String(i.type ?? '');
  const single = addresses.length === 1 && !addresses[0].startsWith('nonstandard') ? addresses[0] : null;
  const holder = single === null ? { address: null, scriptId: null } : type === 'pubkey' ? { address: null, scriptId: `p2pk:${single}` } : { address: single, scriptId: null };
  const value = i.value === undefined || i.value === null ? null : baseUnits(i.value, at);
  return {
    index: Number(field(i, 'index', at)),
    prevTxid: field<string>(i, 'spent_transaction_hash', at),
    prevVout: Number(field(i, 'spent_output_index', at)),
    sequence: Number(i.sequence ?? 0xffffffff),
    coinbase: false,
    ...holder,
    value,
    resolved: value !== null && single !== null,
  };
}

function checkTotals(tx: UtxoTransaction, json: Record<string, unknown>, at: string): void {
  const out = tx.outputs.reduce((s, o) => s + o.value, 0n);
  if (json.output_value !== undefined && baseUnits(json.output_value, at) !== out) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: outputs add up to ${out}, not the stated output_value ${String(json.output_value)}; nothing of it was stored`);
  }
  if (tx.inputs[0]?.coinbase || tx.inputs.some((i) => i.value === null)) return;
  const inp = tx.inputs.reduce((s, i) => s + (i.value ?? 0n), 0n);
  if (json.input_value !== undefined && baseUnits(json.input_value, at) !== inp) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: inputs add up to ${inp}, not the stated input_value ${String(json.input_value)}; nothing of it was stored`);
  }
  if (json.fee !== undefined && baseUnits(json.fee, at) !== inp - out) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: inputs minus outputs is ${inp - out}, not the stated fee ${String(json.fee)}; nothing of it was stored`);
  }
}
