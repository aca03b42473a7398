import { CtraceError, type Chain, getChain } from '@cryptotrace/core';
import { Piscina } from 'piscina';
import { readBlkFrames } from '../bitcoin/blk-file.js';
import { blockHashOf, heightInChain } from '../bitcoin/block.js';
import { type DecodeInputOptions, type InputUnit, storedBlockUnit, txCountOf } from './decode-input.js';
import type { DecodeFault, DecodeTask } from './decode-worker.js';
import { type PackedBlock, unpackBlock } from './packed-block.js';
import type { InputData } from './read-input.js';

/** Blocks handed to the workers and not yet taken back, at most: enough to cover a bulk batch while it is written. */
const WINDOW_BLOCKS = 256;
const WINDOW_BYTES = 16 * 2 ** 20;

interface Pending {
  chain: Chain;
  hash: string;
  txCount: number;
  offset: number;
  bytes: number;
  reply: Promise<PackedBlock | DecodeFault> | null;
}

/**
 * decodeInput's units of a blk file, the blocks decoded by `threads` worker threads (Piscina) while the caller
 * writes the ones before them: the same units, in the same order, with the same errors at the same place. Each
 * block's bytes are copied and transferred to a worker, which returns it decoded as one transferred buffer
 * (packed-block.ts). Heights come from the previous block when the unit is taken (heightInChain); whether the
 * store holds a block is asked then too, as decodeInput asks it (a block stored already is not sent to a worker).
 * @throws CtraceError INPUT_MALFORMED, INPUT_INCONSISTENT
 */
export async function* decodeBlkInWorkers(input: InputData, opts: DecodeInputOptions & { threads: number }): AsyncGenerator<InputUnit> {
  const where = input.path;
  const pool = new Piscina<DecodeTask, PackedBlock | DecodeFault>({
    filename: workerFile(),
    minThreads: opts.threads,
    maxThreads: opts.threads,
    // Every block of the window is handed to a worker at once: with one task a worker, the next is handed over only
    // when this thread takes the last one's reply, which it does between batches, so a worker would wait for every
    // batch to be written instead of decoding the blocks after it meanwhile.
    concurrentTasksPerWorker: Math.ceil(WINDOW_BLOCKS / opts.threads),
  });
  const queue: Pending[] = [];
  let queuedBytes = 0;
  // A fault in the framing surfaces after the blocks before it, as it would reading one block at a time.
  let fault: unknown = null;
  const frames = readBlkFrames(input.readAt, input.size, where, opts.chain);
  const fill = () => {
    while (fault === null && queue.length < WINDOW_BLOCKS && queuedBytes < WINDOW_BYTES) {
      let next: IteratorResult<{ chain: Chain; offset: number; bytes: Uint8Array }>;
      try {
        next = frames.next();
        if (next.done) return;
      } catch (err) {
        fault = err;
        return;
      }
      const { chain, offset, bytes } = next.value;
      const hash = blockHashOf(bytes);
      const p: Pending = { chain, hash, txCount: txCountOf(bytes), offset: offset + 8 + bytes.length, bytes: bytes.length, reply: null };
      if (!opts.hasBlock(chain.name, hash)) {
        const copy = new Uint8Array(bytes);
        p.reply = pool.run({ bytes: copy, chain: chain.name, where: `${where} at byte ${offset}` }, { transferList: [copy.buffer] });
        // Handled where it is awaited; one never awaited (the caller stopped early) must not end the process.
        p.reply.catch(() => {});
      }
      queue.push(p);
      queuedBytes += p.bytes;
    }
  };
  try {
    for (fill(); queue.length > 0; fill()) {
      const p = queue.shift()!;
      queuedBytes -= p.bytes;
      const stored = storedBlockUnit(p.chain, p.hash, p.txCount, p.offset, opts);
      if (stored) {
        yield stored;
        continue;
      }
      // A block the store held when it was read is held still: only blocks sent to a worker get here.
      if (p.reply === null) throw new CtraceError('INTERNAL', `${where}: block ${p.hash} left the store during the ingest`);
      const reply = await p.reply;
      if (!(reply instanceof ArrayBuffer)) throw new CtraceError(reply.code, reply.shortMessage, reply.details === undefined ? {} : { details: reply.details });
      const block = unpackBlock(reply, (h) => heightInChain(h, p.chain, (prev) => opts.heightOf(p.chain.name, prev), h.height));
      yield { chain: p.chain.name, block: block.header, transactions: block.transactions, offset: p.offset };
    }
    if (fault !== null) throw fault;
  } finally {
    await pool.destroy();
  }
}

/** The worker's module: beside this one when built; run from the sources (vitest), the built one, as a worker thread is not transformed. */
function workerFile(): string {
  return new URL(import.meta.url.endsWith('.ts') ? '../../dist/ingest/decode-worker.js' : './decode-worker.js', import.meta.url).href;
}
