import { CtraceError, type Chain } from '@cryptotrace/core';
import type { EvmRpcSource } from '../sources/evm-rpc/source.js';
import type { ChainSource, SourceRecords } from '../sources/source.js';

/**
 * How the watch reads a block of an account chain: through the EVM JSON-RPC source, with the block's header added
 * to its records (number, hash, parent hash, time; the UTXO-only fields zero), so that the store keeps the chain
 * of hashes a reorg is found by.
 * @throws CtraceError USAGE when the source is not an EVM JSON-RPC node
 */
export function accountBlockReader(source: ChainSource, chain: Chain): (height: number) => Promise<SourceRecords> {
  const evm = source as Partial<EvmRpcSource>;
  if (typeof evm.readBlockRecords !== 'function') throw new CtraceError('USAGE', `ctrace watch follows ${chain.name} block by block through an EVM JSON-RPC node: give --rpc-url`);
  return async (height) => {
    const { block, records } = await evm.readBlockRecords!(height);
    const header = { chain: chain.name, hash: block.hash, height: block.number, time: block.timestamp, prevHash: block.parentHash, merkleRoot: '', version: 0, bits: 0, nonce: 0, txCount: block.transactions.length };
    return { ...records, blocks: [header] };
  };
}
