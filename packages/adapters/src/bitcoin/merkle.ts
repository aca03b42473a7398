import { hash256Of } from './hash256.js';

/**
 * The merkle root of `hashes` (internal byte order), and whether a level had two equal neighbours (CVE-2012-2459:
 * a mutated block with duplicated transactions has the same root), as Core's ComputeMerkleRoot computes them.
 */
export function merkleRootMutated(hashes: Buffer[]): { root: Buffer; mutated: boolean } {
  let level = hashes.slice();
  let length = level.length;
  let mutated = false;
  while (length > 1) {
    let j = 0;
    for (let i = 0; i < length; i += 2, ++j) {
      const left = level[i];
      const right = i + 1 === length ? left : level[i + 1];
      if (i + 1 < length && left.equals(right)) mutated = true;
      level[j] = hash256Of(left, right);
    }
    length = j;
  }
  return { root: level[0], mutated };
}

/** The merkle root of a block from its txids (display hex, as Core prints them). */
export function merkleRootOf(txids: string[]): string {
  if (txids.length === 0) return '0'.repeat(64);
  const { root } = merkleRootMutated(txids.map((id) => Buffer.from(id, 'hex').reverse()));
  return Buffer.from(root).reverse().toString('hex');
}
