import type { Block } from 'bitcoinjs-lib';
import { bitcoinjs } from './bitcoinjs.js';
import { CtraceError, type Chain, type UtxoBlock, utxoNetwork } from '@cryptotrace/core';
import { fromBitcoinjsTransaction } from './transaction.js';
import { checkedTxids, hash256Of } from './tx-hashes.js';

export interface DecodeBlockOptions {
  /** Where the bytes came from, for error messages: `file.dat at byte 1234`. */
  where: string;
  /** The height of the block with this hash, when the caller knows it. */
  heightOf?: (hash: string) => number | null;
}

/**
 * Decode a wire-format block, recompute every txid and check the merkle root (and the witness commitment
 * where there is one). Heights come from the previous block (through `heightOf`), the chain's genesis,
 * or BIP34's height in the coinbase.
 * @throws CtraceError INPUT_MALFORMED when the bytes do not parse, INPUT_INCONSISTENT when the merkle root is wrong
 */
export function decodeBlock(bytes: Uint8Array, chain: Chain, { where, heightOf }: DecodeBlockOptions): UtxoBlock {
  const network = utxoNetwork(chain);
  let block: Block;
  try {
    block = bitcoinjs().Block.fromBuffer(bytes);
  } catch (cause) {
    throw new CtraceError('INPUT_MALFORMED', `${where}: not a valid block (${(cause as Error).message}); the file may be truncated or not a block`, { cause });
  }
  const txs = block.transactions ?? [];
  if (txs.length === 0) throw new CtraceError('INPUT_MALFORMED', `${where}: block has no transactions`);
  // Block.checkTxRoots and getId, with each transaction hashed once, natively, from the block's own bytes.
  const hash = Buffer.from(hash256Of(bytes.subarray(0, 80))).reverse().toString('hex');
  const txids = checkedTxids(bytes, block);
  if (txids === null) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${hash} has a merkle root that does not match its transactions; the data is corrupt, nothing of it was stored`);
  }
  const prevHash = Buffer.from(block.prevHash!).reverse().toString('hex');
  const knownHeight = (h: string) => (h === network.genesisHash ? 0 : (heightOf?.(h) ?? null));
  const height = hash === network.genesisHash ? 0 : (heightFromPrev(prevHash, knownHeight) ?? bip34Height(block, chain));
  const ref = { hash, height, time: block.timestamp };
  return {
    header: {
      chain: chain.name,
      ...ref,
      prevHash,
      merkleRoot: Buffer.from(block.merkleRoot!).reverse().toString('hex'),
      version: block.version,
      bits: block.bits >>> 0,
      nonce: block.nonce >>> 0,
      txCount: txs.length,
    },
    transactions: txs.map((tx, position) => fromBitcoinjsTransaction(tx, network, { chain: chain.name, block: ref, position }, txids[position])),
  };
}

function heightFromPrev(prevHash: string, heightOf?: (hash: string) => number | null): number | null {
  const prev = heightOf?.(prevHash);
  return prev === null || prev === undefined ? null : prev + 1;
}

/** BIP34: version-2+ blocks push their height first in the coinbase script (enforced on Bitcoin from 227,931). */
function bip34Height(block: Block, chain: Chain): number | null {
  if (block.version < 2) return null;
  const script = block.transactions![0].ins[0].script;
  const len = script[0];
  if (len < 1 || len > 4 || script.length < 1 + len) return null;
  let h = 0;
  for (let i = len; i >= 1; i--) h = h * 256 + script[i];
  if (chain.name === 'bitcoin' && h < 227_931) return null;
  return h;
}
