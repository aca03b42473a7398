import { hash256Into } from './hashes.js';

/**
 * The merkle root of `hashes` (internal byte order, 32 bytes each, one after another), and whether a level had two
 * equal neighbours (CVE-2012-2459: a mutated block with duplicated transactions has the same root), as Core's
 * ComputeMerkleRoot computes them. Each level is hashed in place: `hashes` is overwritten.
 */
export function merkleRootMutated(hashes: Buffer): { root: Buffer; mutated: boolean } {
  let length = hashes.length / 32;
  let mutated = false;
  const pair = Buffer.alloc(64);
  while (length > 1) {
    let j = 0;
    for (let i = 0; i < length; i += 2, ++j) {
      if (i + 1 < length) {
        if (sameHash(hashes, i * 32, (i + 1) * 32)) mutated = true;
        hash256Into(hashes.subarray(i * 32, i * 32 + 64), hashes, j * 32);
      } else {
        hashes.copy(pair, 0, i * 32, i * 32 + 32);
        hashes.copy(pair, 32, i * 32, i * 32 + 32);
        hash256Into(pair, hashes, j * 32);
      }
    }
    length = j;
  }
  return { root: hashes.subarray(0, 32), mutated };
}

/** The merkle root of a block from its txids (display hex, as Core prints them). */
export function merkleRootOf(txids: string[]): string {
  if (txids.length === 0) return '0'.repeat(64);
  const hashes = Buffer.alloc(txids.length * 32);
  txids.forEach((id, k) => Buffer.from(id, 'hex').reverse().copy(hashes, k * 32));
  return Buffer.from(merkleRootMutated(hashes).root).reverse().toString('hex');
}

function sameHash(b: Buffer, x: number, y: number): boolean {
  for (let k = 0; k < 32; k++) if (b[x + k] !== b[y + k]) return false;
  return true;
}
