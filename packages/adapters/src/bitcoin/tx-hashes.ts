import { hash } from 'node:crypto';
import type { Block, Transaction } from 'bitcoinjs-lib';

/** Double SHA-256 of the concatenation of `parts`, with Node's native one-shot hashing. */
export function hash256Of(...parts: Uint8Array[]): Buffer {
  const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  return hash('sha256', hash('sha256', data, 'buffer'), 'buffer');
}

/** The txids (internal byte order) of a block's transactions, and their wtxids when the block commits to them. */
export interface BlockTxHashes {
  txids: Buffer[];
  /** Null unless the block has a witness commitment. */
  wtxids: Buffer[] | null;
}

/**
 * Hash every transaction of a parsed block straight from the block's own bytes (no re-serialization, native
 * SHA-256): the txid covers version, inputs, outputs and locktime, leaving out the segwit marker, flag and witnesses.
 * @param bytes the wire block that `block` was parsed from
 */
export function blockTxHashes(bytes: Uint8Array, block: Block, wantWitness: boolean): BlockTxHashes {
  const txs = block.transactions!;
  const first = bytes[80];
  let offset = 80 + (first < 0xfd ? 1 : first === 0xfd ? 3 : first === 0xfe ? 5 : 9);
  const txids: Buffer[] = new Array(txs.length);
  const wtxids: Buffer[] | null = wantWitness ? new Array(txs.length) : null;
  for (let k = 0; k < txs.length; k++) {
    const tx: Transaction = txs[k];
    const total = tx.byteLength(true);
    const span = bytes.subarray(offset, offset + total);
    if (tx.hasWitnesses()) {
      const base = tx.byteLength(false);
      txids[k] = hash256Of(span.subarray(0, 4), span.subarray(6, 6 + base - 8), span.subarray(total - 4));
    } else {
      txids[k] = hash256Of(span);
    }
    // The coinbase's wtxid is defined as zero (BIP141).
    if (wtxids) wtxids[k] = k === 0 ? Buffer.alloc(32) : hash256Of(span);
    offset += total;
  }
  return { txids, wtxids };
}

/**
 * The merkle root of `hashes`, and whether a level had two equal neighbours (CVE-2012-2459: a mutated block
 * with duplicated transactions has the same root), as bitcoinjs-lib's fastMerkleRoot computes them.
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

/**
 * bitcoinjs-lib's Block.checkTxRoots with hashes computed from the block's bytes: the merkle root matches (and no
 * level is mutated), and where the coinbase carries a witness commitment, it matches the wtxids' root too.
 * @returns the txids (display hex) when the roots check, null otherwise
 */
export function checkedTxids(bytes: Uint8Array, block: Block): string[] | null {
  const hasWitnessCommit = block.hasWitnessCommit();
  if (!hasWitnessCommit && block.hasWitness()) return null;
  const { txids, wtxids } = blockTxHashes(bytes, block, hasWitnessCommit);
  const { root, mutated } = merkleRootMutated(txids);
  if (mutated || !root.equals(block.merkleRoot!)) return null;
  if (wtxids) {
    const witnessRoot = merkleRootMutated(wtxids).root;
    const commit = hash256Of(witnessRoot, block.transactions![0].ins[0].witness[0]);
    if (!commit.equals(block.witnessCommit!)) return null;
  }
  return txids.map((h) => Buffer.from(h).reverse().toString('hex'));
}
