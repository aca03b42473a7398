import { hash } from 'node:crypto';
import { bitcoinjs } from './bitcoinjs.js';

// Node's one-shot hash() is the fastest SHA-256 here, but a digest it returns as a Buffer costs about twice the
// hashing of a short input (a new backing store each time); as a latin1 ('binary') string it does not, so the digests below are
// taken as strings and written into buffers the caller owns (or one allocated from the pool).
const mid = Buffer.alloc(32);
let scratch = Buffer.alloc(1 << 16);

/** Double SHA-256 of the concatenation of `chunks`, as a new Buffer. */
export function hash256Of(...chunks: Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafe(32);
  hash256Into(chunks.length === 1 ? chunks[0] : joined(chunks), out, 0);
  return out;
}

/** Double SHA-256 of `data`, written to out[at, at + 32). */
export function hash256Into(data: Uint8Array, out: Buffer, at: number): void {
  mid.write(hash('sha256', data, 'binary'), 0, 'latin1');
  out.write(hash('sha256', mid, 'binary'), at, 'latin1');
}

/** SHA-256 of `data`, natively, as a new Buffer. */
export function sha256Of(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(32);
  out.write(hash('sha256', data, 'binary'), 0, 'latin1');
  return out;
}

let nativeRipemd: boolean | undefined;

/**
 * RIPEMD-160 of SHA-256 (what P2PKH and P2SH addresses hash), as a new Buffer: natively where Node's OpenSSL has
 * RIPEMD-160 (its default provider has since 3.0.7), else bitcoinjs-lib's JavaScript one (the same bytes, slower).
 */
export function hash160Of(data: Uint8Array): Buffer {
  nativeRipemd ??= ripemdIsNative();
  if (!nativeRipemd) return Buffer.from(bitcoinjs().crypto.hash160(data));
  mid.write(hash('sha256', data, 'binary'), 0, 'latin1');
  const out = Buffer.allocUnsafe(20);
  out.write(hash('ripemd160', mid, 'binary'), 0, 'latin1');
  return out;
}

/** The chunks copied one after another into a scratch buffer (valid until the next call), grown when too small. */
export function joined(chunks: Uint8Array[]): Buffer {
  let length = 0;
  for (const c of chunks) length += c.length;
  if (length > scratch.length) scratch = Buffer.alloc(Math.max(length, scratch.length * 2));
  let at = 0;
  for (const c of chunks) {
    scratch.set(c, at);
    at += c.length;
  }
  return scratch.subarray(0, length);
}

function ripemdIsNative(): boolean {
  try {
    hash('ripemd160', new Uint8Array(0));
    return true;
  } catch {
    return false;
  }
}
