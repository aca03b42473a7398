import { hash256Into, joined } from './hashes.js';
import { merkleRootMutated } from './merkle.js';
import { firstWitnessItem, reversedHex, type WireTx } from './wire.js';

/**
 * The txid (internal byte order) of a transaction read from `bytes`, hashed from those bytes (version, inputs,
 * outputs and locktime, leaving out the segwit marker, flag and witnesses), written to out[at, at + 32).
 */
export function txHashInto(bytes: Uint8Array, tx: WireTx, out: Buffer, at: number): void {
  if (!tx.segwit) return hash256Into(bytes.subarray(tx.start, tx.end), out, at);
  hash256Into(joined([bytes.subarray(tx.start, tx.start + 4), bytes.subarray(tx.bodyStart, tx.bodyEnd), bytes.subarray(tx.end - 4, tx.end)]), out, at);
}

/** The txid (display hex, as Core prints it) of a transaction read from `bytes`. */
export function txidOf(bytes: Uint8Array, tx: WireTx): string {
  const h = Buffer.allocUnsafe(32);
  txHashInto(bytes, tx, h, 0);
  return reversedHex(h, 0);
}

const COMMITMENT_HEAD = [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed];

/**
 * The txids (display hex) of a block's transactions, when its merkle root matches them (and no level of the tree
 * has two equal neighbours: CVE-2012-2459) and, where the coinbase commits to the witnesses (BIP141), the wtxids'
 * root matches the commitment too. A block with witnesses and no commitment does not check: bitcoinjs-lib's
 * Block.checkTxRoots, with each transaction hashed once, natively, from the block's own bytes.
 * @returns null when a root does not check
 */
export function checkedTxids(bytes: Uint8Array, txs: WireTx[], merkleRoot: Uint8Array): string[] | null {
  const reserved = firstWitnessItem(bytes, txs[0]);
  const commitment = reserved === null ? null : witnessCommitment(txs[0]);
  if (commitment === null && txs.some((tx) => tx.segwit)) return null;
  const hashes = Buffer.allocUnsafe(txs.length * 32);
  for (let k = 0; k < txs.length; k++) txHashInto(bytes, txs[k], hashes, k * 32);
  const txids = txs.map((_, k) => reversedHex(hashes, k * 32));
  const { root, mutated } = merkleRootMutated(hashes);
  if (mutated || !root.equals(merkleRoot)) return null;
  if (commitment !== null) {
    // The coinbase's wtxid is defined as zero.
    const wtxids = Buffer.alloc(txs.length * 32);
    for (let k = 1; k < txs.length; k++) hash256Into(bytes.subarray(txs[k].start, txs[k].end), wtxids, k * 32);
    const committed = Buffer.allocUnsafe(32);
    hash256Into(joined([merkleRootMutated(wtxids).root, reserved!]), committed, 0);
    if (!committed.equals(commitment)) return null;
  }
  return txids;
}

/** The 32 bytes after 6a24aa21a9ed in the last coinbase output that starts so, or null (bitcoinjs-lib's getWitnessCommit). */
function witnessCommitment(coinbase: WireTx): Uint8Array | null {
  for (let o = coinbase.outputs.length - 1; o >= 0; o--) {
    const script = coinbase.outputs[o].script;
    if (script.length >= 6 && COMMITMENT_HEAD.every((b, i) => script[i] === b)) return script.length >= 38 ? script.subarray(6, 38) : null;
  }
  return null;
}
