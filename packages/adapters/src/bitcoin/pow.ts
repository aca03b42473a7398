import { scryptSync } from 'node:crypto';
import { CtraceError, type Chain, type UtxoBlockHeader, utxoNetwork } from '@cryptotrace/core';
import { hash256Of } from './hashes.js';

/** The 80 bytes of a block header, serialized from its fields. */
export function headerBytes(h: Pick<UtxoBlockHeader, 'version' | 'prevHash' | 'merkleRoot' | 'time' | 'bits' | 'nonce'>): Buffer {
  const b = Buffer.alloc(80);
  b.writeInt32LE(h.version | 0, 0);
  Buffer.from(h.prevHash, 'hex').reverse().copy(b, 4);
  Buffer.from(h.merkleRoot, 'hex').reverse().copy(b, 36);
  b.writeUInt32LE(h.time >>> 0, 68);
  b.writeUInt32LE(h.bits >>> 0, 72);
  b.writeUInt32LE(h.nonce >>> 0, 76);
  return b;
}

/**
 * The target a header's compact `bits` encode (Bitcoin Core's arith_uint256::SetCompact), or null when the
 * encoding is negative, zero or overflows 256 bits.
 */
export function targetOfBits(bits: number): bigint | null {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if (mantissa === 0 || (bits & 0x00800000) !== 0) return null;
  const target = exponent <= 3 ? BigInt(mantissa >>> (8 * (3 - exponent))) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  return target === 0n || target >= 1n << 256n ? null : target;
}

/**
 * Check a block header against itself: its fields must hash to its hash, and its proof of work (double SHA-256,
 * or scrypt on Litecoin and Dogecoin) must meet the target its own `bits` state. Regtest's easy target
 * (0x207fffff) passes as on a node; merge-mined (AuxPoW) Dogecoin headers carry their work in a parent block
 * this header does not hold, so only their hash is checked.
 * @throws CtraceError INPUT_INCONSISTENT
 */
export function checkBlockHeader(h: UtxoBlockHeader, chain: Chain, where: string): void {
  const bytes = headerBytes(h);
  const hash = Buffer.from(hash256Of(bytes)).reverse().toString('hex');
  if (hash !== h.hash) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${h.hash}: its header fields hash to ${hash}, not to its hash; nothing of it was stored`);
  }
  const target = targetOfBits(h.bits);
  if (target === null) throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${h.hash}: its bits 0x${(h.bits >>> 0).toString(16)} encode no valid target; nothing of it was stored`);
  const network = utxoNetwork(chain);
  if (network.pow === 'scrypt' && (h.version & 0x100) !== 0 && chain.name.startsWith('dogecoin')) return;
  const work = network.pow === 'scrypt' ? Buffer.from(scryptSync(bytes, bytes, 32, { N: 1024, r: 1, p: 1 })).reverse().toString('hex') : hash;
  if (BigInt(`0x${work}`) > target) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${h.hash} does not meet its own target (bits 0x${(h.bits >>> 0).toString(16)}): its proof of work is missing or forged; nothing of it was stored`);
  }
}
