import { CtraceError, type Chain, type UtxoBlockHeader, type UtxoTransaction, getChain, utxoNetwork } from '@cryptotrace/core';
import { readBlkFrames } from '../bitcoin/blk-file.js';
import { blockHashOf, decodeBlock } from '../bitcoin/block.js';
import { decodeTransaction } from '../bitcoin/transaction.js';
import { decodeCoreBlock, decodeCoreTx } from '../formats/bitcoin-core-json.js';
import { decodeEtlTx } from '../formats/blockchain-etl.js';
import { decodeEsploraBlock, decodeEsploraTx } from '../formats/esplora.js';
import { isObject, parseJsonExact } from '../formats/json.js';
import type { InputFormat } from './detect.js';
import type { InputData } from './read-input.js';

/** A piece of an input that is stored whole or not at all: a block with its transactions, or loose transactions. */
export interface InputUnit {
  chain: string;
  block: UtxoBlockHeader | null;
  transactions: UtxoTransaction[];
  /** Bytes of the input consumed so far, for progress. */
  offset: number;
  /** Set for a block the store holds already (skipped, not decoded): how many transactions it holds. */
  alreadyStored?: { transactions: number };
}

export interface DecodeInputOptions {
  /** The chain named on the command line; blk files name their own by magic. */
  chain?: string;
  /** Height of a stored or already decoded block. */
  heightOf: (chain: string, hash: string) => number | null;
  /** Skip blocks the store holds (a resumed ingest), without decoding them. */
  hasBlock: (chain: string, hash: string) => boolean;
}

/**
 * Decode an input in the given format into units, lazily, one block at a time for block formats.
 * @throws CtraceError INPUT_MALFORMED, INPUT_INCONSISTENT
 */
export function* decodeInput(input: InputData, format: InputFormat, opts: DecodeInputOptions): Generator<InputUnit> {
  const named = getChain(opts.chain ?? 'bitcoin');
  utxoNetwork(named);
  const where = input.path;
  switch (format) {
    case 'blk':
      for (const frame of readBlkFrames(input.readAt, input.size, where, opts.chain)) {
        yield* blockUnit(frame.bytes, frame.chain, `${where} at byte ${frame.offset}`, frame.offset + 8 + frame.bytes.length, opts);
      }
      return;
    case 'raw-block':
      yield* blockUnit(input.all(), named, where, input.size, opts);
      return;
    case 'hex-block':
      yield* blockUnit(hexBytes(input, where), named, where, input.size, opts);
      return;
    case 'raw-tx':
    case 'hex-tx': {
      const bytes = format === 'raw-tx' ? input.all() : hexBytes(input, where);
      let tx: UtxoTransaction;
      try {
        tx = decodeTransaction(bytes, utxoNetwork(named), { chain: named.name, block: null, position: null });
      } catch (cause) {
        if (cause instanceof CtraceError) throw cause;
        throw new CtraceError('INPUT_MALFORMED', `${where}: not a valid transaction (${(cause as Error).message})`, { cause });
      }
      yield { chain: named.name, block: null, transactions: [tx], offset: input.size };
      return;
    }
    default:
      yield* jsonUnits(input, format, named);
  }
}

function* blockUnit(bytes: Uint8Array, chain: Chain, where: string, offset: number, opts: DecodeInputOptions): Generator<InputUnit> {
  const stored = bytes.length >= 80 ? storedBlockUnit(chain, blockHashOf(bytes), txCountOf(bytes), offset, opts) : null;
  if (stored) {
    yield stored;
    return;
  }
  const block = decodeBlock(bytes, chain, { where, heightOf: (h) => opts.heightOf(chain.name, h) });
  yield { chain: chain.name, block: block.header, transactions: block.transactions, offset };
}

/** The unit of a block the store holds already (skipped, not decoded), or null when it does not hold it. */
export function storedBlockUnit(chain: Chain, hash: string, txCount: number, offset: number, opts: Pick<DecodeInputOptions, 'hasBlock'>): InputUnit | null {
  return opts.hasBlock(chain.name, hash) ? { chain: chain.name, block: null, transactions: [], offset, alreadyStored: { transactions: txCount } } : null;
}

/** The transaction count of a serialized block: the CompactSize after its 80-byte header (0 when cut short). */
export function txCountOf(bytes: Uint8Array): number {
  if (bytes.length < 81) return 0;
  const first = bytes[80];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (first < 0xfd) return first;
  if (first === 0xfd && bytes.length >= 83) return view.getUint16(81, true);
  if (first === 0xfe && bytes.length >= 85) return view.getUint32(81, true);
  if (first === 0xff && bytes.length >= 89) return Number(view.getBigUint64(81, true));
  return 0;
}

function hexBytes(input: InputData, where: string): Uint8Array {
  const text = Buffer.from(input.all()).toString('latin1').replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(text) || text.length % 2 !== 0) throw new CtraceError('INPUT_MALFORMED', `${where}: not an even number of hex digits`);
  return Buffer.from(text, 'hex');
}

function* jsonUnits(input: InputData, format: InputFormat, chain: Chain): Generator<InputUnit> {
  const where = input.path;
  const text = Buffer.from(input.all()).toString('utf8');
  for (const [k, item] of jsonItems(text, where).entries()) {
    const at = `${where} item ${k}`;
    if (!isObject(item)) throw new CtraceError('INPUT_MALFORMED', `${at}: expected a JSON object`);
    switch (format) {
      case 'core-block-json': {
        const b = decodeCoreBlock(item, chain, at);
        yield { chain: chain.name, block: b.header, transactions: b.transactions, offset: input.size };
        break;
      }
      case 'core-tx-json':
        yield { chain: chain.name, block: null, transactions: [decodeCoreTx(item, chain, at)], offset: input.size };
        break;
      case 'esplora-tx-json':
        yield { chain: chain.name, block: null, transactions: [decodeEsploraTx(item, chain, at)], offset: input.size };
        break;
      case 'esplora-block-json':
        yield { chain: chain.name, block: decodeEsploraBlock(item, chain, at), transactions: [], offset: input.size };
        break;
      case 'blockchain-etl':
        yield { chain: chain.name, block: null, transactions: [decodeEtlTx(item, chain, at)], offset: input.size };
        break;
      default:
        throw new CtraceError('INTERNAL', `no JSON decoder for format ${format}`);
    }
  }
}

/** A JSON document (object, array, or JSON-RPC envelope) or newline-delimited JSON, as a list of items. */
function jsonItems(text: string, where: string): unknown[] {
  const trimmed = text.trim();
  const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
  const ndjson = trimmed.startsWith('{') && lines.length > 1 && lines.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'));
  const items = ndjson ? lines.map((l, k) => parseJsonExact(l, `${where} line ${k + 1}`)) : [parseJsonExact(trimmed, where)];
  return items.flatMap((item) => {
    let v = item;
    if (isObject(v) && 'result' in v && 'id' in v) {
      if (v.error) throw new CtraceError('INPUT_MALFORMED', `${where}: a JSON-RPC error response, not data: ${JSON.stringify(v.error).slice(0, 200)}`);
      v = v.result;
    }
    return Array.isArray(v) ? v : [v];
  });
}

