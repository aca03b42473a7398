/**
 * Counterparty: its OP_RETURN data is RC4-encrypted with the first input's previous txid (display hex, as bytes)
 * as the key, and the clear text starts with "CNTRPRTY" (Counterparty's protocol documentation).
 */
import { bytesOfHex } from './hex.js';

const PREFIX = Uint8Array.from([0x43, 0x4e, 0x54, 0x52, 0x50, 0x52, 0x54, 0x59]);

/** RC4 (ARC4) keystream applied to data; the cipher is its own inverse. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

/**
 * Whether a payload is a Counterparty message, given the transaction's first input's previous txid.
 * @example isCounterparty(payload, tx.inputs[0].prevTxid)
 */
export function isCounterparty(payload: Uint8Array, firstPrevTxid: string): boolean {
  const key = bytesOfHex(firstPrevTxid);
  if (!key || key.length === 0 || payload.length < PREFIX.length) return false;
  const clear = rc4(key, payload.subarray(0, PREFIX.length));
  return PREFIX.every((x, i) => clear[i] === x);
}
