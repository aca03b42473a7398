import { CtraceError, type Chain, type UtxoBlock, type UtxoTransaction, utxoNetwork } from '@cryptotrace/core';
import { classifyScript } from '../bitcoin/script.js';
import { toUtxoTransaction, type TxPlace } from '../bitcoin/transaction.js';
import { checkBlockHeader } from '../bitcoin/pow.js';
import { merkleRootOf } from '../bitcoin/merkle.js';
import { txidOf } from '../bitcoin/tx-hashes.js';
import { WireError, readTransaction, type WireTx } from '../bitcoin/wire.js';
import { coinsToBase, field, isObject } from './json.js';

/** Bitcoin Core's `getblock <hash> 2` (or 3) result, already parsed with {@link parseJsonExact}. */
export function isCoreBlockJson(v: unknown): v is Record<string, unknown> {
  return isObject(v) && Array.isArray(v.tx) && typeof v.merkleroot === 'string';
}

/** Bitcoin Core's `getrawtransaction <txid> true` result. */
export function isCoreTxJson(v: unknown): v is Record<string, unknown> {
  return isObject(v) && typeof v.txid === 'string' && Array.isArray(v.vin) && Array.isArray(v.vout) && (typeof v.hex === 'string' || isObject((v.vout as unknown[])[0]) && 'scriptPubKey' in ((v.vout as Record<string, unknown>[])[0] ?? {}));
}

/**
 * Decode a Core `getblock` verbosity 2/3 result: each transaction from its hex, with its txid recomputed, the
 * merkle root recomputed, and, at verbosity 3, the inputs' previous outputs taken as resolved.
 * @throws CtraceError INPUT_MALFORMED, INPUT_INCONSISTENT
 */
export function decodeCoreBlock(json: Record<string, unknown>, chain: Chain, where: string): UtxoBlock {
  const hash = field<string>(json, 'hash', where);
  const height = typeof json.height === 'number' ? json.height : null;
  const time = Number(field(json, 'time', where));
  const ref = { hash, height, time };
  const txs = (json.tx as unknown[]).map((tx, position) => {
    if (!isObject(tx)) throw new CtraceError('INPUT_MALFORMED', `${where}: block ${hash} lists transactions by id only; save it with verbosity 2 or 3`);
    return decodeCoreTx(tx, chain, `${where} tx ${position}`, { chain: chain.name, block: ref, position });
  });
  const merkleRoot = field<string>(json, 'merkleroot', where);
  if (merkleRootOf(txs.map((t) => t.txid)) !== merkleRoot) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${hash} has merkle root ${merkleRoot} but its transactions give another; nothing of it was stored`);
  }
  const header = {
    chain: chain.name,
    ...ref,
    prevHash: (json.previousblockhash as string | undefined) ?? '0'.repeat(64),
    merkleRoot,
    version: Number(json.version ?? 0),
    bits: Number.parseInt(String(json.bits ?? '0'), 16),
    nonce: Number(json.nonce ?? 0),
    txCount: txs.length,
  };
  checkBlockHeader(header, chain, where);
  return { header, transactions: txs };
}

/** Decode one Core verbose transaction from its hex, checking the txid Core printed. */
export function decodeCoreTx(json: Record<string, unknown>, chain: Chain, where: string, place?: TxPlace): UtxoTransaction {
  const network = utxoNetwork(chain);
  const txid = field<string>(json, 'txid', where);
  const hex = field<string>(json, 'hex', where);
  const bytes = Buffer.from(hex, 'hex');
  let tx: WireTx;
  try {
    tx = readTransaction(bytes);
  } catch (cause) {
    if (!(cause instanceof WireError)) throw cause;
    throw new CtraceError('INPUT_MALFORMED', `${where}: transaction ${txid} has hex that does not decode (${cause.message})`, { cause });
  }
  const hashed = txidOf(bytes, tx);
  if (hashed !== txid) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: transaction hex hashes to ${hashed}, not the txid ${txid} beside it; nothing of it was stored`);
  }
  const blockHash = typeof json.blockhash === 'string' ? json.blockhash : null;
  const ref = place ?? { chain: chain.name, block: blockHash ? { hash: blockHash, height: null, time: Number(json.blocktime ?? json.time ?? 0) } : null, position: null };
  const decoded = toUtxoTransaction(bytes, tx, network, ref, txid);
  const vin = json.vin as Record<string, unknown>[];
  decoded.inputs.forEach((input, k) => {
    const prevout = vin[k]?.prevout;
    if (input.coinbase || !isObject(prevout)) return;
    const spk = isObject(prevout.scriptPubKey) ? prevout.scriptPubKey : {};
    const script = Buffer.from(field<string>(spk, 'hex', `${where} vin ${k} prevout`), 'hex');
    const { address, scriptId } = classifyScript(script, network);
    Object.assign(input, { address, scriptId, value: coinsToBase(field(prevout, 'value', where), chain.decimals, where), resolved: true });
  });
  return decoded;
}
