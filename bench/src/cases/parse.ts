import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Bitcoinjs from '../../../packages/adapters/node_modules/bitcoinjs-lib/src/cjs/index.js';
import { adapters } from '../adapters.js';
import { getChain } from '../../../packages/core/dist/index.js';
import { timed } from '../measure.js';

// The CommonJS build that the adapters load (packages/adapters/src/bitcoin/bitcoinjs.ts): the same module instance.
const { Block } = createRequire(new URL('../../../packages/adapters/package.json', import.meta.url))('bitcoinjs-lib') as typeof Bitcoinjs;

/** The blocks of a parse case: one real mainnet block, or every block of a generated chain's blk files. */
function loadBlocks(sources: string[], readBlkFrames: Awaited<ReturnType<typeof adapters>>['readBlkFrames']): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (const source of sources) {
    const data = readFileSync(source);
    if (!/blk\d+\.dat$/.test(source)) {
      frames.push(data);
      continue;
    }
    for (const f of readBlkFrames((o, n) => data.subarray(o, o + n), data.length, source)) frames.push(f.bytes);
  }
  return frames;
}

/**
 * Decode the same bytes `rounds` times, with our decodeBlock (txids, merkle check, script classification, model)
 * or with bitcoinjs-lib doing the same checks: Block.fromBuffer, getId() of every transaction and checkTxRoots
 * (the merkle root and the witness commitment). One untimed warm-up round first.
 */
export async function parseCase(params: { sources: string[]; which: 'decodeBlock' | 'bitcoinjs'; minBytes: number }): Promise<Record<string, unknown>> {
  const { decodeBlock, readBlkFrames } = await adapters();
  const blocks = loadBlocks(params.sources, readBlkFrames);
  const bytes = blocks.reduce((s, b) => s + b.length, 0);
  const rounds = Math.max(1, Math.ceil(params.minBytes / bytes));

  const heights = new Map<string, number>();
  let txs = 0;
  const once = () => {
    txs = 0;
    for (const b of blocks) {
      if (params.which === 'bitcoinjs') {
        const block = Block.fromBuffer(b);
        for (const tx of block.transactions!) tx.getId();
        if (!block.checkTxRoots()) throw new Error('bench: bitcoinjs-lib finds a block whose roots do not check');
        txs += block.transactions!.length;
      } else {
        const d = decodeBlock(b, getChain('bitcoin'), { where: 'bench', heightOf: (h) => heights.get(h) ?? null });
        if (d.header.height !== null) heights.set(d.header.hash, d.header.height);
        txs += d.transactions.length;
      }
    }
  };
  once();
  const { seconds, cpuSeconds } = await timed(() => {
    for (let r = 0; r < rounds; r++) once();
  });
  return { seconds, cpuSeconds, rounds, blocks: blocks.length, transactions: txs * rounds, mb: (bytes * rounds) / 1e6, txPerSec: (txs * rounds) / seconds, mbPerSec: (bytes * rounds) / 1e6 / seconds };
}
