import { describe, expect, it } from 'vitest';
import { base58 as scureBase58 } from '@scure/base';
import * as bitcoin from 'bitcoinjs-lib';
import { createHash } from 'node:crypto';
import { base58, base58Check } from './base58.js';
import { hash160Of, hash256Of, sha256Of } from './hashes.js';

/** Deterministic bytes (a xorshift stream), so a failure names an input that can be rerun. */
function bytesOf(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('base58', () => {
  it('default: known vectors, leading zero bytes as 1', () => {
    expect(base58(new Uint8Array(0))).toBe('');
    expect(base58(Uint8Array.from([0, 0, 1]))).toBe('112');
    expect(base58(Buffer.from('hello world'))).toBe('StV1DL6CwTryKyV');
    expect(base58Check(0x00, Buffer.from('62e907b15cbf27d5425399ebf6f0fb50ebb88f18', 'hex'))).toBe('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
  });

  it('behavior: equals @scure/base (base-x) on 3,000 inputs of 0-99 bytes, some all zero, all 0xff or zero-led', () => {
    for (let k = 0; k < 3000; k++) {
      const b = bytesOf(k, k % 100);
      if (k % 11 === 0) b.fill(0);
      if (k % 13 === 0) b.fill(0xff);
      if (k % 7 === 0) b.fill(0, 0, Math.min(b.length, k % 5));
      expect(base58(b), Buffer.from(b).toString('hex')).toBe(scureBase58.encode(b));
    }
  });

  it('behavior: base58Check equals bitcoinjs-lib toBase58Check for every version byte', () => {
    for (let k = 0; k < 2000; k++) {
      const h = bytesOf(k, 20);
      expect(base58Check(k % 256, h)).toBe(bitcoin.address.toBase58Check(h, k % 256));
    }
  });
});

describe('hashes', () => {
  it('behavior: hash160, sha256 and hash256 equal bitcoinjs-lib and node:crypto on inputs of 0-599 bytes', () => {
    for (let k = 0; k < 600; k += 7) {
      const b = bytesOf(k, k);
      expect(hash160Of(b).toString('hex')).toBe(Buffer.from(bitcoin.crypto.hash160(b)).toString('hex'));
      expect(sha256Of(b).toString('hex')).toBe(createHash('sha256').update(b).digest('hex'));
      const twice = createHash('sha256').update(createHash('sha256').update(b).digest()).digest('hex');
      expect(hash256Of(b).toString('hex')).toBe(twice);
      expect(hash256Of(b.subarray(0, k >> 1), b.subarray(k >> 1)).toString('hex')).toBe(twice);
    }
  });

  it('behavior: results do not share memory (each call returns its own bytes)', () => {
    const a = hash160Of(Buffer.from('a'));
    const before = a.toString('hex');
    hash160Of(Buffer.from('b'));
    sha256Of(Buffer.from('c'));
    expect(a.toString('hex')).toBe(before);
  });
});
