import type { UtxoTransaction } from '../model/utxo.js';
import { holderOf } from '../model/utxo.js';
import { isCounterparty } from './counterparty.js';
import { bytesOfHex, hexOfBytes } from './hex.js';
import { nulldataPayload } from './nulldata.js';
import { decodeOmni, type OmniPayload } from './omni.js';

/** A protocol recognised by the start of its OP_RETURN payload. */
interface Marker {
  protocol: string;
  name: string;
  prefix: Uint8Array;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * Data-carrier protocols known by a payload prefix (each protocol's own documentation). Counterparty (encrypted),
 * Runes (an opcode marker), the coinbase's witness commitment, VeriBlock (a header layout) and bare 20- or 32-byte
 * hash commitments are recognised apart.
 */
export const DATA_CARRIER_MARKERS: readonly Marker[] = [
  { protocol: 'omni', name: 'Omni Layer (class C)', prefix: ascii('omni') },
  { protocol: 'stacks', name: 'Stacks (Blockstack) operation', prefix: ascii('X2') },
  { protocol: 'blockstack', name: 'Blockstack (v1) name operation', prefix: ascii('id') },
  { protocol: 'open-assets', name: 'Open Assets colored coins (marker output)', prefix: Uint8Array.from([0x4f, 0x41, 0x01, 0x00]) },
  { protocol: 'colu', name: 'Colu colored coins', prefix: Uint8Array.from([0x43, 0x43]) },
  { protocol: 'coinspark', name: 'CoinSpark', prefix: ascii('SPK') },
  { protocol: 'rsk', name: 'RSK merged-mining tag', prefix: ascii('RSKBLOCK:') },
  { protocol: 'docproof', name: 'Proof of Existence (DOCPROOF)', prefix: ascii('DOCPROOF') },
  { protocol: 'factom', name: 'Factom anchor', prefix: ascii('Factom!!') },
  { protocol: 'factom', name: 'Factom anchor', prefix: ascii('Fa') },
  { protocol: 'ipfs', name: 'IPFS content id (CIDv0 text)', prefix: ascii('Qm') },
  { protocol: 'eternity-wall', name: 'Eternity Wall message', prefix: ascii('EW') },
  { protocol: 'ascribe', name: 'ascribe', prefix: ascii('ASCRIBESPOOL') },
];

const WITNESS_COMMITMENT = Uint8Array.from([0xaa, 0x21, 0xa9, 0xed]);
const OP_13 = 0x5d;

/** What one OP_RETURN output of a transaction carries. */
export interface DataCarrier {
  outputIndex: number;
  /** Protocol id (`omni`, `counterparty`, `stacks`, ...), or `unknown`. */
  protocol: string;
  name: string;
  /** The joined data pushes, hex. */
  payload: string;
  /** For Omni: the decoded payload, the sender (first input's holder) and receiver (last output to another holder). */
  omni?: OmniPayload & { sender: string | null; receiver: string | null };
}

function startsWith(payload: Uint8Array, prefix: Uint8Array): boolean {
  return payload.length >= prefix.length && prefix.every((x, i) => payload[i] === x);
}

/**
 * Name the protocol of an OP_RETURN script: known markers, Counterparty (decrypted with the first input's
 * previous txid), Runes (OP_RETURN OP_13) and the segwit witness commitment of a coinbase.
 * @returns the protocol and its name, or null when the script is not OP_RETURN
 * @example carrierOf(script, tx.inputs[0].prevTxid)?.protocol // 'omni'
 */
export function carrierOf(script: Uint8Array, firstPrevTxid: string | null): { protocol: string; name: string; payload: Uint8Array } | null {
  const data = nulldataPayload(script);
  if (!data) return null;
  const { payload } = data;
  if (data.marker === OP_13) return { protocol: 'runes', name: 'Runes runestone', payload };
  if (startsWith(payload, WITNESS_COMMITMENT) && payload.length === 36) return { protocol: 'witness-commitment', name: 'segwit witness commitment', payload };
  for (const m of DATA_CARRIER_MARKERS) if (startsWith(payload, m.prefix)) return { protocol: m.protocol, name: m.name, payload };
  if (firstPrevTxid !== null && isCounterparty(payload, firstPrevTxid)) return { protocol: 'counterparty', name: 'Counterparty message', payload };
  // A VeriBlock publication: an 80-byte payload that opens with a VeriBlock header (height < 2^24, version 2).
  if (payload.length === 80 && payload[0] === 0 && payload[4] === 0 && payload[5] === 2) return { protocol: 'veriblock', name: 'VeriBlock proof of proof (VBK header)', payload };
  if (payload.length === 32 || payload.length === 20) {
    return { protocol: 'commitment', name: `${payload.length}-byte hash commitment (timestamping, e.g. OpenTimestamps, Chainpoint)`, payload };
  }
  return { protocol: 'unknown', name: payload.length === 0 ? 'empty OP_RETURN' : `unknown data (${payload.length} bytes)`, payload };
}

/**
 * Every OP_RETURN output of a transaction whose script the source kept (`nulldata`), with its protocol; Omni
 * payloads decoded, their sender and receiver read as Omni Core reads a class C transaction (sender: the first
 * input's holder; receiver: the last output to a holder other than the sender, else the last output with one).
 * @example dataCarriers(tx).map((c) => c.protocol)
 */
export function dataCarriers(tx: UtxoTransaction): DataCarrier[] {
  const out: DataCarrier[] = [];
  const first = tx.inputs[0];
  const firstPrevTxid = first && !first.coinbase ? first.prevTxid : null;
  for (const o of tx.outputs) {
    if (o.scriptType !== 'nulldata' || o.nulldata === undefined) continue;
    const script = bytesOfHex(o.nulldata);
    const found = script && carrierOf(script, firstPrevTxid);
    if (!found) continue;
    const c: DataCarrier = { outputIndex: o.index, protocol: found.protocol, name: found.name, payload: hexOfBytes(found.payload) };
    const omni = found.protocol === 'omni' ? decodeOmni(found.payload) : null;
    if (omni) {
      const sender = first && !first.coinbase ? holderOf(first) : null;
      const holders = tx.outputs.filter((x) => x.scriptType !== 'nulldata').map(holderOf).filter((h): h is string => h !== null);
      const others = holders.filter((h) => h !== sender);
      c.omni = { ...omni, sender, receiver: others.at(-1) ?? holders.at(-1) ?? null };
    }
    out.push(c);
  }
  return out;
}
