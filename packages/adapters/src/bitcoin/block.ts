import { CtraceError, type Chain, type UtxoBlock, utxoNetwork } from '@cryptotrace/core';
import { hash256Of } from './hashes.js';
import { checkBlockHeader } from './pow.js';
import { toUtxoTransaction } from './transaction.js';
import { checkedTxids } from './tx-hashes.js';
import { WireError, readBlockHeader, readBlockTxs, reversedHex, type WireTx } from './wire.js';

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
  let txs: WireTx[];
  try {
    txs = readBlockTxs(bytes);
  } catch (cause) {
    if (!(cause instanceof WireError)) throw cause;
    throw new CtraceError('INPUT_MALFORMED', `${where}: not a valid block (${cause.message}); the file may be truncated or not a block`, { cause });
  }
  if (txs.length === 0) throw new CtraceError('INPUT_MALFORMED', `${where}: block has no transactions`);
  const header = readBlockHeader(bytes);
  const hash = blockHashOf(bytes);
  const txids = checkedTxids(bytes, txs, header.merkleRootBytes);
  if (txids === null) {
    throw new CtraceError('INPUT_INCONSISTENT', `${where}: block ${hash} has a merkle root that does not match its transactions; the data is corrupt, nothing of it was stored`);
  }
  const { prevHash } = header;
  const height = heightInChain({ hash, prevHash }, chain, heightOf ?? (() => null), bip34Height(bytes, txs[0], header.version, chain));
  const ref = { hash, height, time: header.time };
  const blockHeader = { chain: chain.name, ...ref, prevHash, merkleRoot: header.merkleRoot, version: header.version, bits: header.bits, nonce: header.nonce, txCount: txs.length };
  checkBlockHeader(blockHeader, chain, where);
  return {
    header: blockHeader,
    transactions: txs.map((tx, position) => toUtxoTransaction(bytes, tx, network, { chain: chain.name, block: ref, position }, txids[position])),
  };
}

/** A block's hash (display hex) from its first 80 bytes, the header, which the caller has checked are there. */
export function blockHashOf(bytes: Uint8Array): string {
  return reversedHex(hash256Of(bytes.subarray(0, 80)), 0);
}

/**
 * A block's height: 0 for the chain's genesis, else its previous block's height plus one where that is known
 * (the genesis, or through `heightOf`), else `fromItself` (BIP34's, or what decodeBlock gave without heightOf).
 */
export function heightInChain(block: { hash: string; prevHash: string }, chain: Chain, heightOf: (hash: string) => number | null, fromItself: number | null): number | null {
  const { genesisHash } = utxoNetwork(chain);
  if (block.hash === genesisHash) return 0;
  const prev = block.prevHash === genesisHash ? 0 : heightOf(block.prevHash);
  return prev === null ? fromItself : prev + 1;
}

/** BIP34: version-2+ blocks push their height first in the coinbase script (enforced on Bitcoin from 227,931). */
function bip34Height(bytes: Uint8Array, coinbase: WireTx, version: number, chain: Chain): number | null {
  if (version < 2 || coinbase.inputs.length === 0) return null;
  const script = bytes.subarray(coinbase.inputs[0].scriptStart, coinbase.inputs[0].scriptEnd);
  const len = script[0];
  if (len < 1 || len > 4 || script.length < 1 + len) return null;
  let h = 0;
  for (let i = len; i >= 1; i--) h = h * 256 + script[i];
  if (chain.name === 'bitcoin' && h < 227_931) return null;
  return h;
}
