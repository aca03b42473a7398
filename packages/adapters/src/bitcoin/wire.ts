/**
 * Bitcoin's wire format, read once: every field of a block's transactions as offsets into the block's own bytes
 * (no copies, no per-field Buffers), with the byte ranges that the txid, the wtxid and the sizes are computed from.
 * The rules are Bitcoin Core's (and bitcoinjs-lib's Transaction.fromBuffer): a 0x00 0x01 after the version is the
 * segwit marker and flag; witness data where no input has a witness item is refused.
 */

/** A fault in the bytes; callers turn it into a CtraceError that says where the bytes came from. */
export class WireError extends Error {}

export interface WireInput {
  /** The spent transaction's id, display hex (the wire's byte order reversed). */
  prevTxid: string;
  vout: number;
  sequence: number;
  /** The scriptSig: bytes [scriptStart, scriptEnd) of the buffer read. */
  scriptStart: number;
  scriptEnd: number;
  /** Its witness (item count, then the items): bytes [witnessStart, witnessEnd), both -1 without a witness. */
  witnessStart: number;
  witnessEnd: number;
}

export interface WireOutput {
  /** Satoshis, read as Core's int64. */
  value: bigint;
  /** A view into the buffer read, not a copy. */
  script: Uint8Array;
}

/** One transaction: byte ranges into the buffer it was read from, and its fields. */
export interface WireTx {
  /** The version's first byte. */
  start: number;
  /** One past the locktime's last byte. */
  end: number;
  version: number;
  locktime: number;
  /** Whether it carries the segwit marker and flag (and so witnesses, from bodyEnd to the locktime). */
  segwit: boolean;
  /** The input count's first byte: right after the version, or after the marker and flag. */
  bodyStart: number;
  /** One past the last output. */
  bodyEnd: number;
  inputs: WireInput[];
  outputs: WireOutput[];
}

/** The 80-byte header's fields; hashes in display hex, the merkle root also as its wire bytes. */
export interface WireHeader {
  version: number;
  prevHash: string;
  merkleRoot: string;
  merkleRootBytes: Uint8Array;
  time: number;
  bits: number;
  nonce: number;
}

/** The header of a block (its first 80 bytes, which the caller has checked are there). */
export function readBlockHeader(bytes: Uint8Array): WireHeader {
  return {
    version: u32At(bytes, 0) | 0,
    prevHash: reversedHex(bytes, 4),
    merkleRoot: reversedHex(bytes, 36),
    merkleRootBytes: bytes.subarray(36, 68),
    time: u32At(bytes, 68),
    bits: u32At(bytes, 72),
    nonce: u32At(bytes, 76),
  };
}

interface Cursor {
  bytes: Uint8Array;
  pos: number;
  /** For error messages: the position of the transaction being read in its block, -1 for a lone one, null for none. */
  tx: number | null;
}

/**
 * The transactions of a wire block (header: bytes 0-79). Bytes after the last transaction are not looked at, as
 * bitcoinjs-lib's Block.fromBuffer did not.
 * @returns no transactions when the bytes are a bare header
 * @throws WireError when the bytes are shorter than a header or a transaction runs past the end
 */
export function readBlockTxs(bytes: Uint8Array): WireTx[] {
  if (bytes.length < 80) throw new WireError(`${bytes.length} bytes, fewer than a block header's 80`);
  if (bytes.length === 80) return [];
  const c: Cursor = { bytes, pos: 80, tx: null };
  const txs: WireTx[] = new Array(readCount(c, 10, 'transaction count'));
  for (let k = 0; k < txs.length; k++) {
    c.tx = k;
    txs[k] = readTx(c);
  }
  return txs;
}

/**
 * One serialized transaction that fills `bytes` exactly.
 * @throws WireError when it is cut short, has bytes after it or superfluous witness data
 */
export function readTransaction(bytes: Uint8Array): WireTx {
  const c: Cursor = { bytes, pos: 0, tx: -1 };
  const tx = readTx(c);
  if (c.pos !== bytes.length) throw fault(c, `${bytes.length - c.pos} unexpected bytes after its end`);
  return tx;
}

/**
 * An input's witness items, views into the bytes it was read from (empty without a witness). The bytes were
 * checked when the transaction was read.
 */
export function witnessItems(bytes: Uint8Array, input: WireInput): Uint8Array[] {
  if (input.witnessStart < 0) return [];
  const c: Cursor = { bytes, pos: input.witnessStart, tx: 0 };
  const items: Uint8Array[] = new Array(readCount(c, 1, 'witness item count'));
  for (let k = 0; k < items.length; k++) {
    const len = readCount(c, 1, 'witness item length');
    items[k] = bytes.subarray(c.pos, c.pos + len);
    c.pos += len;
  }
  return items;
}

/** The first witness item of a transaction's first input (the coinbase's witness reserved value), or null. */
export function firstWitnessItem(bytes: Uint8Array, tx: WireTx): Uint8Array | null {
  if (!tx.segwit) return null;
  const c: Cursor = { bytes, pos: tx.bodyEnd, tx: 0 };
  if (readCount(c, 1, 'witness item count') === 0) return null;
  const len = readCount(c, 1, 'witness item length');
  return bytes.subarray(c.pos, c.pos + len);
}

function readTx(c: Cursor): WireTx {
  const { bytes } = c;
  const start = c.pos;
  const version = readU32(c, 'version');
  const segwit = bytes[c.pos] === 0x00 && bytes[c.pos + 1] === 0x01;
  if (segwit) c.pos += 2;
  const bodyStart = c.pos;
  const inputs: WireInput[] = new Array(readCount(c, 41, 'input count'));
  for (let i = 0; i < inputs.length; i++) {
    need(c, 36, 'input');
    const prevTxid = reversedHex(bytes, c.pos);
    c.pos += 32;
    const vout = readU32(c, 'input');
    const scriptLength = readCount(c, 1, 'input script length');
    const scriptStart = c.pos;
    c.pos += scriptLength;
    inputs[i] = { prevTxid, vout, sequence: readU32(c, 'input sequence'), scriptStart, scriptEnd: scriptStart + scriptLength, witnessStart: -1, witnessEnd: -1 };
  }
  const outputs: WireOutput[] = new Array(readCount(c, 9, 'output count'));
  for (let o = 0; o < outputs.length; o++) {
    need(c, 8, 'output value');
    const value = readI64(bytes, c.pos);
    c.pos += 8;
    const scriptLength = readCount(c, 1, 'output script length');
    outputs[o] = { value, script: bytes.subarray(c.pos, c.pos + scriptLength) };
    c.pos += scriptLength;
  }
  const bodyEnd = c.pos;
  if (segwit) readWitnesses(c, inputs);
  const locktime = readU32(c, 'locktime');
  return { start, end: c.pos, version, locktime, segwit, bodyStart, bodyEnd, inputs, outputs };
}

function readWitnesses(c: Cursor, inputs: WireInput[]): void {
  let items = 0;
  for (const input of inputs) {
    input.witnessStart = c.pos;
    const count = readCount(c, 1, 'witness item count');
    items += count;
    for (let k = 0; k < count; k++) {
      const length = readCount(c, 1, 'witness item length');
      c.pos += length;
    }
    input.witnessEnd = c.pos;
  }
  if (items === 0) throw fault(c, 'has the segwit marker and flag but no witness item: superfluous witness data');
}

/** A CompactSize that counts things of at least `unit` bytes each, all of which must fit in what is left. */
function readCount(c: Cursor, unit: number, field: string): number {
  const { bytes } = c;
  need(c, 1, field);
  const first = bytes[c.pos];
  let value: number;
  let size: number;
  if (first < 0xfd) {
    c.pos += 1;
    return unitsFit(c, first, unit, field);
  } else if (first === 0xfd) {
    size = 3;
    need(c, size, field);
    value = bytes[c.pos + 1] | (bytes[c.pos + 2] << 8);
  } else if (first === 0xfe) {
    size = 5;
    need(c, size, field);
    value = u32At(bytes, c.pos + 1);
  } else {
    size = 9;
    need(c, size, field);
    value = u32At(bytes, c.pos + 1) + u32At(bytes, c.pos + 5) * 2 ** 32;
  }
  const least = size === 3 ? 0xfd : size === 5 ? 0x10000 : 2 ** 32;
  if (value < least) throw fault(c, `${field} is a CompactSize not in its shortest encoding`);
  c.pos += size;
  return unitsFit(c, value, unit, field);
}

function unitsFit(c: Cursor, count: number, unit: number, field: string): number {
  if (count * unit > c.bytes.length - c.pos) throw fault(c, `${field} ${count} cannot fit in the ${c.bytes.length - c.pos} bytes left`);
  return count;
}

function need(c: Cursor, n: number, field: string): void {
  if (c.pos + n > c.bytes.length) throw fault(c, `${field} runs past the end of the ${c.bytes.length} bytes`);
}

/** `transaction 3: input count 70000 cannot fit in the 44 bytes left, at byte 1190`: where it went wrong. */
function fault(c: Cursor, what: string): WireError {
  const place = c.tx === null ? 'block' : c.tx < 0 ? 'transaction' : `transaction ${c.tx}`;
  return new WireError(`${place}: ${what}, at byte ${c.pos}`);
}

function readU32(c: Cursor, field: string): number {
  need(c, 4, field);
  const v = u32At(c.bytes, c.pos);
  c.pos += 4;
  return v;
}

function u32At(bytes: Uint8Array, p: number): number {
  return (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
}

/** Little-endian int64 (two's complement, as Core's CAmount); a number on the way when it is exact. */
function readI64(bytes: Uint8Array, p: number): bigint {
  const lo = u32At(bytes, p);
  const hi = u32At(bytes, p + 4);
  if (hi < 0x200000) return BigInt(hi * 2 ** 32 + lo);
  return (BigInt(hi) << 32n | BigInt(lo)) - (hi >= 0x80000000 ? 1n << 64n : 0n);
}

const scratch = Buffer.allocUnsafe(32);

/** The 32 bytes at `start`, reversed, as hex: how Core prints txids and block hashes. */
export function reversedHex(bytes: Uint8Array, start: number): string {
  for (let i = 0; i < 32; i++) scratch[i] = bytes[start + 31 - i];
  return scratch.toString('hex');
}
