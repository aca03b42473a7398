import { CtraceError } from '@cryptotrace/core';
import { bitcoinjs } from '../bitcoin/bitcoinjs.js';
import { looksLikeBlk } from '../bitcoin/blk-file.js';
import { WireError, readBlockTxs, readTransaction } from '../bitcoin/wire.js';
import { isCoreBlockJson, isCoreTxJson } from '../formats/bitcoin-core-json.js';
import { isEtlTx } from '../formats/blockchain-etl.js';
import { isEsploraBlock, isEsploraTx } from '../formats/esplora.js';
import { isObject } from '../formats/json.js';
import type { InputData } from './read-input.js';

/** The input formats `ctrace ingest` reads. */
export const INPUT_FORMATS = [
  'blk',
  'raw-block',
  'raw-tx',
  'hex-block',
  'hex-tx',
  'core-block-json',
  'core-tx-json',
  'esplora-tx-json',
  'esplora-block-json',
  'blockchain-etl',
] as const;

export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Check a `--format` value. @throws CtraceError USAGE */
export function parseInputFormat(name: string): InputFormat {
  if ((INPUT_FORMATS as readonly string[]).includes(name)) return name as InputFormat;
  throw new CtraceError('USAGE', `unknown --format "${name}": use one of ${INPUT_FORMATS.join(', ')}`);
}

/**
 * Tell an input's format from its content: blk framing by its magic, JSON by its shape (Core, Esplora,
 * blockchain-etl), hex text and raw bytes by which of block and transaction they decode as.
 * @throws CtraceError INPUT_MALFORMED when nothing fits
 */
export function detectFormat(input: InputData): InputFormat {
  const head = input.readAt(0, 64);
  if (looksLikeBlk(head)) return 'blk';
  const text = Buffer.from(head).toString('latin1').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return detectJson(input);
  if (/^[0-9a-fA-F\s]+$/.test(text)) {
    const all = Buffer.from(input.all()).toString('latin1').replace(/\s+/g, '');
    if (/^[0-9a-fA-F]*$/.test(all) && all.length % 2 === 0) return decodes(Buffer.from(all, 'hex')) === 'block' ? 'hex-block' : 'hex-tx';
  }
  const kind = decodes(input.all());
  if (kind) return kind === 'block' ? 'raw-block' : 'raw-tx';
  // A header with valid proof of work is a block whose body is damaged: let the block decoder say what is wrong.
  if (hasProofOfWork(input.readAt(0, 80))) return 'raw-block';
  const framed = Buffer.from(head);
  if (framed.length >= 8 && framed.readUInt32LE(4) + 8 <= input.size && framed.readUInt32LE(4) >= 81) {
    throw new CtraceError('INPUT_MALFORMED', `${input.path}: framed like a blk*.dat file but network magic ${framed.subarray(0, 4).toString('hex')} is not one of a known chain (bitcoin f9beb4d9, testnet 0b110907, regtest fabfb5da, litecoin fbc0b6db, dogecoin c0c0c0c0)`);
  }
  throw new CtraceError('INPUT_MALFORMED', `${input.path}: not a block, transaction, blk*.dat file or known JSON export (it may be truncated); name the format with --format (${INPUT_FORMATS.join(', ')})`);
}

function decodes(bytes: Uint8Array): 'block' | 'tx' | null {
  if (bytes.length > 80 && parses(() => readBlockTxs(bytes).length > 0)) return 'block';
  return parses(() => readTransaction(bytes) !== null) ? 'tx' : null;
}

function parses(read: () => boolean): boolean {
  try {
    return read();
  } catch (err) {
    if (err instanceof WireError) return false;
    throw err;
  }
}

function hasProofOfWork(header: Uint8Array): boolean {
  if (header.length < 80) return false;
  try {
    return bitcoinjs().Block.fromBuffer(header).checkProofOfWork();
  } catch {
    return false;
  }
}

function detectJson(input: InputData): InputFormat {
  const text = Buffer.from(input.all()).toString('utf8');
  let first: unknown;
  try {
    first = JSON.parse(text);
  } catch {
    try {
      first = JSON.parse(text.slice(0, text.indexOf('\n')));
    } catch {
      throw new CtraceError('INPUT_MALFORMED', `${input.path}: starts like JSON but does not parse; the file may be truncated`);
    }
  }
  if (isObject(first) && 'result' in first && 'id' in first) first = first.result;
  const sample = Array.isArray(first) ? first[0] : first;
  if (isCoreBlockJson(sample)) return 'core-block-json';
  if (isEsploraTx(sample)) return 'esplora-tx-json';
  if (isEsploraBlock(sample)) return 'esplora-block-json';
  if (isCoreTxJson(sample)) return 'core-tx-json';
  if (isEtlTx(sample)) return 'blockchain-etl';
  throw new CtraceError('INPUT_MALFORMED', `${input.path}: JSON of no known shape (Bitcoin Core getblock/getrawtransaction, Esplora tx/block, blockchain-etl transactions); name the format with --format`);
}
