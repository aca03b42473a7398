import { type BulkLoadFinish, type CaseStore, CtraceError, type IngestResult, type UtxoBlockHeader, type UtxoTransaction, isCtraceError } from '@cryptotrace/core';
import { availableParallelism } from 'node:os';
import { decodeBlkInWorkers } from './decode-blocks.js';
import { decodeInput } from './decode-input.js';
import { type InputFormat, detectFormat } from './detect.js';
import { checkInputFile, openInput } from './read-input.js';

export interface IngestFilesOptions {
  /** The chain of the data where the content does not say (default `bitcoin`). */
  chain?: string;
  /** Skip detection. */
  format?: InputFormat;
  /** Transactions per atomic batch (default 2,000, and 20,000 in a bulk load; a block is never split). */
  batchTxs?: number;
  /** Called after every committed batch. */
  onProgress?: (p: IngestProgress) => void;
  /** Checked between batches: when it returns true, the ingest stops after the last committed batch. */
  shouldStop?: () => boolean;
  /** The time recorded in provenance (ISO-8601); default now. */
  at?: string;
  /**
   * Load as a bulk load where the store can (secondary indexes built once at the end; see beginBulkLoad): for whole
   * chains. An interrupted bulk load is finished by the next bulk ingest into the store.
   */
  bulk?: boolean;
  /**
   * Worker threads that decode a bulk load's blk files while the blocks before are written (decode-blocks.ts);
   * 0 decodes in this thread. Default: one fewer than the cores (1 to 4) for a blk file of 4 MB or more, else 0.
   */
  decodeThreads?: number;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesDone: number;
  bytesTotal: number;
  /** New blocks and transactions stored so far, over all files. */
  blocks: number;
  transactions: number;
}

export interface FileSummary {
  path: string;
  format: InputFormat;
  blocks: number;
  transactions: number;
  /** Transactions the store held already (those of blocks already stored included). */
  duplicates: number;
  /** Blocks the store held already (skipped without decoding; their transactions count as duplicates). */
  blocksAlreadyStored: number;
}

export interface IngestSummary extends IngestResult {
  files: FileSummary[];
  /** Blocks the store held already, over all files. */
  blocksAlreadyStored: number;
  /** True when `shouldStop` ended the ingest early; what was committed stays. */
  interrupted: boolean;
  /** What finishing the bulk load did, when the ingest was one and it finished. */
  bulkLoad?: BulkLoadFinish;
}

/**
 * Ingest files into a store: formats detected from content, each block (or group of blocks and loose
 * transactions) written as one atomic batch, so that a crash loses nothing committed and a re-run resumes.
 * Every file is checked before anything is written. Between batches it yields to the event loop, so that a
 * SIGINT handler can ask it to stop (`shouldStop`).
 * @throws CtraceError INPUT_UNREADABLE, INPUT_MALFORMED, INPUT_INCONSISTENT
 */
export async function ingestFiles(store: CaseStore, paths: string[], options: IngestFilesOptions = {}): Promise<IngestSummary> {
  for (const p of paths) checkInputFile(p);
  const at = options.at ?? new Date().toISOString();
  const bulk = options.bulk === true && store.beginBulkLoad !== undefined && store.finishBulkLoad !== undefined;
  // A bulk load commits fewer, larger batches: each commit writes every index page its batch touched.
  const batchTxs = options.batchTxs ?? (bulk ? 20_000 : 2000);
  const total: IngestSummary = { blocks: 0, transactions: 0, duplicates: 0, blocksAlreadyStored: 0, resolvedInputs: 0, files: [], interrupted: false };
  const heights = new Map<string, number | null>();
  const heightOf = (chain: string, hash: string) => {
    const key = `${chain}:${hash}`;
    return heights.has(key) ? heights.get(key)! : (store.getBlock(chain, hash)?.height ?? null);
  };

  if (bulk) store.beginBulkLoad!();
  for (const [fileIndex, path] of paths.entries()) {
    const input = openInput(path);
    try {
      const format = options.format ?? detectFormat(input);
      const file: FileSummary = { path, format, blocks: 0, transactions: 0, duplicates: 0, blocksAlreadyStored: 0 };
      total.files.push(file);
      let blocks: UtxoBlockHeader[] = [];
      let txs: UtxoTransaction[] = [];
      const flush = (offset: number) => {
        if (blocks.length === 0 && txs.length === 0) return;
        let r: ReturnType<CaseStore['write']>;
        try {
          r = store.write({ provenance: { source: 'file', locator: path, format, at }, blocks, utxoTransactions: txs });
        } catch (err) {
          if (isCtraceError(err, 'INPUT_INCONSISTENT')) throw new CtraceError('INPUT_INCONSISTENT', `${path}: ${err.shortMessage}`, { cause: err });
          throw err;
        }
        if (r.correctedInputs) (total.correctedInputs ??= []).push(...r.correctedInputs);
        file.blocks += r.blocks;
        file.transactions += r.transactions;
        file.duplicates += r.duplicates;
        total.blocks += r.blocks;
        total.transactions += r.transactions;
        total.duplicates += r.duplicates;
        total.resolvedInputs += r.resolvedInputs;
        blocks = [];
        txs = [];
        options.onProgress?.({ file: path, fileIndex, files: paths.length, bytesDone: offset, bytesTotal: input.size, blocks: total.blocks, transactions: total.transactions });
      };
      let lastChain = options.chain ?? 'bitcoin';
      let lastOffset = 0;
      const decodeOptions = { chain: options.chain, heightOf, hasBlock: store.hasBlock };
      const threads = bulk && format === 'blk' ? (options.decodeThreads ?? (input.size >= 4 * 2 ** 20 ? Math.max(1, Math.min(4, availableParallelism() - 1)) : 0)) : 0;
      const units = threads > 0 ? decodeBlkInWorkers(input, { ...decodeOptions, threads }) : decodeInput(input, format, decodeOptions);
      for await (const unit of units) {
        if (unit.alreadyStored) {
          file.blocksAlreadyStored++;
          total.blocksAlreadyStored++;
          file.duplicates += unit.alreadyStored.transactions;
          total.duplicates += unit.alreadyStored.transactions;
          continue;
        }
        if (unit.chain !== lastChain) flush(lastOffset);
        if (unit.block) {
          heights.set(`${unit.chain}:${unit.block.hash}`, unit.block.height);
          blocks.push(unit.block);
        }
        txs.push(...unit.transactions);
        lastChain = unit.chain;
        lastOffset = unit.offset;
        if (txs.length >= batchTxs) {
          flush(unit.offset);
          // Let signal handlers run between batches, so that Ctrl-C stops at a batch boundary.
          await new Promise((resolve) => setImmediate(resolve));
          if (options.shouldStop?.()) {
            total.interrupted = true;
            return total;
          }
        }
      }
      flush(input.size);
    } finally {
      input.close();
    }
    if (options.shouldStop?.()) {
      total.interrupted = fileIndex < paths.length - 1;
      if (total.interrupted) return total;
    }
  }
  if (bulk) {
    total.bulkLoad = store.finishBulkLoad!();
    total.resolvedInputs += total.bulkLoad.resolvedInputs;
  }
  return total;
}
