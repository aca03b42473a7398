import type { ScriptType, UtxoNetwork, UtxoTransaction } from '@cryptotrace/core';
import { CtraceError } from '@cryptotrace/core';
import { classifyScript } from '../bitcoin/script.js';
import { type Reader, decompressAmount, readCompressedScript, readVarInt } from './compress.js';

/** One unspent output as a UTXO store keeps it. */
export interface StoredUtxo {
  txid: string;
  vout: number;
  height: number;
  coinbase: boolean;
  value: bigint;
  scriptType: ScriptType;
  address: string | null;
  scriptId: string | null;
}

/**
 * Decode a UTXO store file: records of `<32-byte txid><LE uint32 vout><LE uint32 length><output>`, the output in
 * Core's compressed coin form (VARINT height·2 + coinbase, compressed amount, compressed script). The txid is in
 * wire (internal) byte order and is returned in display order.
 * @param bytes the whole file, decompressed
 * @throws CtraceError INPUT_MALFORMED on a truncated or inconsistent record
 * @example readUtxoStore(bytes, utxoNetwork(getChain('bitcoin'))).length
 */
export function readUtxoStore(bytes: Uint8Array, network: UtxoNetwork): StoredUtxo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: StoredUtxo[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 40 > bytes.length) throw new CtraceError('INPUT_MALFORMED', `UTXO store record header truncated at byte ${pos}: expected 40 bytes, ${bytes.length - pos} left`);
    const txid = Buffer.from(bytes.subarray(pos, pos + 32)).reverse().toString('hex');
    const vout = view.getUint32(pos + 32, true);
    const length = view.getUint32(pos + 36, true);
    const end = pos + 40 + length;
    if (end > bytes.length) throw new CtraceError('INPUT_MALFORMED', `UTXO store record at byte ${pos} claims ${length} bytes, only ${bytes.length - pos - 40} left`);
    const r: Reader = { bytes: bytes.subarray(0, end), pos: pos + 40 };
    const code = readVarInt(r);
    const value = decompressAmount(readVarInt(r));
    const script = readCompressedScript(r);
    if (r.pos !== end) throw new CtraceError('INPUT_MALFORMED', `UTXO store record at byte ${pos} has ${end - r.pos} bytes left over: not a compressed coin`);
    out.push({ txid, vout, height: Number(code >> 1n), coinbase: (code & 1n) === 1n, value, ...classifyScript(script, network) });
    pos = end;
  }
  return out;
}

/**
 * Fill in the inputs of transactions from UTXO store entries: value, address or script id, resolved.
 * @returns how many inputs were resolved
 */
export function resolveFromUtxos(txs: UtxoTransaction[], utxos: readonly StoredUtxo[]): number {
  const byOutpoint = new Map(utxos.map((u) => [`${u.txid}:${u.vout}`, u]));
  let n = 0;
  for (const tx of txs) {
    for (const i of tx.inputs) {
      if (i.coinbase || i.resolved) continue;
      const u = byOutpoint.get(`${i.prevTxid}:${i.prevVout}`);
      if (!u) continue;
      i.value = u.value;
      i.address = u.address;
      i.scriptId = u.scriptId;
      i.resolved = true;
      n++;
    }
  }
  return n;
}
