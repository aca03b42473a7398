import { hash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * Base58Check of a version byte and a 20-byte hash: what bitcoinjs-lib's address.toBase58Check returns, with the
 * checksum hashed natively (the address of every P2PKH and P2SH output is encoded at ingest).
 * @example base58Check(0x00, hash160) // '1...'
 */
export function base58Check(version: number, payloadHash: Uint8Array): string {
  const payload = Buffer.allocUnsafe(21 + 4);
  payload[0] = version;
  payload.set(payloadHash.subarray(0, 20), 1);
  const check = hash('sha256', hash('sha256', payload.subarray(0, 21), 'buffer'), 'buffer');
  check.copy(payload, 21, 0, 4);
  return base58(payload);
}

/** Base58 (Bitcoin's alphabet), leading zero bytes as '1', the same algorithm as base-x. */
export function base58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const size = (((bytes.length - zeros) * 138) / 100 + 1) >>> 0;
  const digits = new Uint8Array(size);
  let length = 0;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < length) && k >= 0; k--, j++) {
      carry += 256 * digits[k];
      digits[k] = carry % 58;
      carry = (carry / 58) | 0;
    }
    length = j;
  }
  let it = size - length;
  while (it !== size && digits[it] === 0) it++;
  let out = '1'.repeat(zeros);
  for (; it < size; it++) out += ALPHABET[digits[it]];
  return out;
}
