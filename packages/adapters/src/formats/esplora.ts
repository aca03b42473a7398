import { COINBASE_PREV_TXID, CtraceError, type Chain, type UtxoBlockHeader, type UtxoTransaction, utxoNetwork } from '@cryptotrace/core';
import { bitcoinjs } from '../bitcoin/bitcoinjs.js';
import { checkBlockHeader } from '../bitcoin/pow.js';
import { classifyScript, outputOfScript } from '../bitcoin/script.js';
import { spentAddress } from '../bitcoin/spend-address.js';
import { baseUnits, field, isObject } from './json.js';

/** A transaction as Esplora's `/tx/:txid` (and `/address/:a/txs`) serve it. */
export function isEsploraTx(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.txid === 'string' && Array.isArray(v.vin) && Array.isArray(v.vout) && isObject(v.status);
}

/** A block header as Esplora's `/block/:hash` serves it. */
export function isEsploraBlock(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.id === 'string' && typeof v.merkle_root === 'string' && typeof v.tx_count === 'number';
}

/**
 * Turn an Esplora transaction into the model. The transaction is re-serialized from its fields and its txid
 * recomputed; the inputs' `prevout`s make them resolved, and the fee Esplora states must add up.
 * @throws CtraceError INPUT_INCONSISTENT (the code is rewritten to SOURCE_INVALID by network sources)
 */
export function decodeEsploraTx(json: Record<string, unknown>, chain: Chain, where: string): UtxoTransaction {
  const network = utxoNetwork(chain);
  const txid = field<string>(json, 'txid', where);
  const at = `${where} tx ${txid}`;
  const vin = json.vin as Record<string, unknown>[];
  const vout = json.vout as Record<string, unknown>[];
  const rebuilt = new (bitcoinjs().Transaction)();
  rebuilt.version = Number(field(json, 'version', at));
  rebuilt.locktime = Number(field(json, 'locktime', at));
  for (const i of vin) {
    const coinbase = i.is_coinbase === true;
    const hash = Buffer.from(coinbase ? COINBASE_PREV_TXID : field<string>(i, 'txid', at), 'hex').reverse();
    rebuilt.addInput(hash, coinbase ? 0xffffffff : Number(field(i, 'vout', at)), Number(field(i, 'sequence', at)), Buffer.from(String(i.scriptsig ?? ''), 'hex'));
    if (Array.isArray(i.witness)) rebuilt.ins[rebuilt.ins.length - 1].witness = (i.witness as string[]).map((w) => Buffer.from(w, 'hex'));
  }
  for (const o of vout) rebuilt.addOutput(Buffer.from(field<string>(o, 'scriptpubkey', at), 'hex'), baseUnits(field(o, 'value', at), at));
  if (rebuilt.getId() !== txid) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: its fields hash to ${rebuilt.getId()}, not to its txid; nothing of it was stored`);
  }
  const status = json.status as Record<string, unknown>;
  const block = status.confirmed === true
    ? { hash: field<string>(status, 'block_hash', at), height: Number(field(status, 'block_height', at)), time: Number(field(status, 'block_time', at)) }
    : null;
  const tx: UtxoTransaction = {
    chain: chain.name,
    txid,
    block,
    position: null,
    version: rebuilt.version >>> 0,
    locktime: rebuilt.locktime >>> 0,
    size: json.size === undefined ? rebuilt.byteLength() : Number(json.size),
    vsize: rebuilt.virtualSize(),
    inputs: vin.map((i, index) => {
      const coinbase = i.is_coinbase === true;
      const prevout = isObject(i.prevout) ? i.prevout : null;
      // Without its previous output, the address the spending data reveals (its value stays unknown).
      const holder = prevout ? classifyScript(Buffer.from(field<string>(prevout, 'scriptpubkey', at), 'hex'), network)
        : coinbase ? null : { address: spentAddress(rebuilt.ins[index].script, rebuilt.ins[index].witness, network)?.address ?? null, scriptId: null };
      return {
        index,
        prevTxid: coinbase ? COINBASE_PREV_TXID : String(i.txid),
        prevVout: coinbase ? 0xffffffff : Number(i.vout),
        sequence: Number(i.sequence),
        coinbase,
        address: holder?.address ?? null,
        scriptId: holder?.scriptId ?? null,
        value: prevout ? baseUnits(field(prevout, 'value', at), at) : null,
        resolved: prevout !== null,
      };
    }),
    outputs: vout.map((o, index) => outputOfScript(index, baseUnits(o.value, at), Buffer.from(String(o.scriptpubkey), 'hex'), network)),
  };
  checkFee(tx, json.fee, at);
  return tx;
}

/** Where every input's value is given, inputs minus outputs must be the stated fee, and never negative (fee stated or not). */
function checkFee(tx: UtxoTransaction, stated: unknown, at: string): void {
  if (tx.inputs.some((i) => i.coinbase || i.value === null)) return;
  const fee = tx.inputs.reduce((s, i) => s + (i.value ?? 0n), 0n) - tx.outputs.reduce((s, o) => s + o.value, 0n);
  if (stated === undefined && fee < 0n) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: its inputs' previous outputs sum to ${-fee} less than its outputs (no fee stated); the values do not add up, nothing of it was stored`);
  }
  if (stated !== undefined && (fee !== baseUnits(stated, at) || fee < 0n)) {
    throw new CtraceError('INPUT_INCONSISTENT', `${at}: inputs minus outputs is ${fee} but the stated fee is ${String(stated)}; the values do not add up, nothing of it was stored`);
  }
}

/** An Esplora block header (Esplora serves the transactions apart, at `/block/:hash/txs`). */
export function decodeEsploraBlock(json: Record<string, unknown>, chain: Chain, where: string): UtxoBlockHeader {
  const header: UtxoBlockHeader = {
    chain: chain.name,
    hash: field<string>(json, 'id', where),
    height: Number(field(json, 'height', where)),
    time: Number(field(json, 'timestamp', where)),
    prevHash: (json.previousblockhash as string | undefined) ?? '0'.repeat(64),
    merkleRoot: field<string>(json, 'merkle_root', where),
    version: Number(json.version ?? 0),
    bits: Number(json.bits ?? 0),
    nonce: Number(json.nonce ?? 0),
    txCount: Number(json.tx_count),
  };
  checkBlockHeader(header, chain, where);
  return header;
}
