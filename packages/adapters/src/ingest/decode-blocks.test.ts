import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBlock, ingestFiles, openInput, openSqliteStore, readBlkFrames } from '@cryptotrace/adapters';
import { getChain } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';
import { dump } from '../../../../test/support/store.js';
import { packBlock, unpackBlock } from './packed-block.js';

const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const GOLDEN = 'data/bitcoin/core-getblock';
const REAL = 'data/bitcoin/raw-blocks/block413567.raw';
const AT = '2026-01-01T00:00:00.000Z';
const MAGIC = Buffer.from('f9beb4d9', 'hex');

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** Mainnet blocks of every era the shared data has: 1-255 (P2PK), 413,567 (P2PKH, P2SH) and Core's segwit ones. */
function realBlocks(): Uint8Array[] {
  const input = openInput(shared(PEEL));
  const early = [...readBlkFrames(input.readAt, input.size, PEEL)].map((f) => f.bytes);
  input.close();
  const golden = readdirSync(shared(GOLDEN)).filter((n) => n.endsWith('.hex')).sort().map((n) => Buffer.from(readFileSync(shared(`${GOLDEN}/${n}`), 'utf8').trim(), 'hex'));
  return [...early, readFileSync(shared(REAL)), ...golden];
}

/** The blocks framed as one blk file. */
function blkFile(blocks: Uint8Array[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ctrace-workers-')), 'blk00000.dat');
  writeFileSync(path, Buffer.concat(blocks.flatMap((b) => [MAGIC, Buffer.from(Uint32Array.of(b.length).buffer), b])));
  return path;
}

async function ingestWith(file: string, threads: number, batchTxs?: number, chain?: string): Promise<{ dump: string; summary: string; error: string | null }> {
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-workers-')), 'case.db'), { create: true });
  let summary = '';
  let error: string | null = null;
  try {
    const s = await ingestFiles(store, [file], { at: AT, bulk: true, decodeThreads: threads, batchTxs, chain });
    summary = json({ ...s, files: s.files.map((f) => ({ ...f, path: 'file' })) });
  } catch (err) {
    error = (err as Error).message;
  }
  // An interrupted bulk load records when it started: the one time that is not the ingest's.
  const out = { dump: dump(store).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'AT'), summary, error };
  store.close();
  return out;
}

const haveAll = hasShared(PEEL) && hasShared(GOLDEN) && hasShared(REAL);

describe.skipIf(!haveAll)(needs(haveAll ? REAL : !hasShared(PEEL) ? PEEL : !hasShared(GOLDEN) ? GOLDEN : REAL, 'decoding in worker threads'), () => {
  it('default: a packed block unpacks to the block decodeBlock gave, field for field and in order', () => {
    const bitcoin = getChain('bitcoin');
    const blocks = realBlocks();
    for (const bytes of blocks) {
      const decoded = decodeBlock(bytes, bitcoin, { where: 'test' });
      expect(json(unpackBlock(packBlock(decoded)))).toBe(json(decoded));
    }
    expect(blocks.length).toBeGreaterThan(270);
  });

  it('behavior: unpackBlock places the block at the height it is given, in its header and each transaction', () => {
    const decoded = decodeBlock(readFileSync(shared(REAL)), getChain('bitcoin'), { where: 'test' });
    const placed = unpackBlock(packBlock(decoded), (h) => (h.hash === decoded.header.hash ? 7 : null));
    expect(placed.header.height).toBe(7);
    expect(placed.transactions.every((t) => t.block?.height === 7)).toBe(true);
  });

  it('behavior: a bulk ingest decoded in worker threads gives the same store and summary as one decoded in this thread', async () => {
    const file = blkFile(realBlocks());
    const inThread = await ingestWith(file, 0);
    expect(inThread.error).toBeNull();
    expect(await ingestWith(file, 1)).toEqual(inThread);
    expect(await ingestWith(file, 2, 500)).toEqual(await ingestWith(file, 0, 500));
    // Heights came from the previous blocks where the file has them (1-255 from the genesis), BIP34 elsewhere.
    expect(inThread.dump).toMatch(/00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048/);
  });

  it('error: a corrupt block, then a truncated frame: the same error and the same batches stored as in this thread', async () => {
    const blocks = realBlocks();
    const bad = Buffer.from(blocks[260]);
    bad[bad.length - 10] ^= 0xff;
    const corrupt = blkFile([...blocks.slice(0, 260), bad, ...blocks.slice(261)]);
    const inThread = await ingestWith(corrupt, 0, 300);
    expect(inThread.error).toMatch(/merkle root that does not match/);
    expect(await ingestWith(corrupt, 1, 300)).toEqual(inThread);

    const whole = readFileSync(blkFile(blocks));
    const truncated = join(mkdtempSync(join(tmpdir(), 'ctrace-workers-')), 'blk00000.dat');
    writeFileSync(truncated, whole.subarray(0, whole.length - 1000));
    const cut = await ingestWith(truncated, 0, 300);
    expect(cut.error).toMatch(/runs past the end of the file/);
    expect(await ingestWith(truncated, 1, 300)).toEqual(cut);
  });

  it('error: a blk file of another chain than --chain is one error, in worker threads as in this thread, and nothing is stored', async () => {
    const file = blkFile(realBlocks().slice(0, 20));
    const inThread = await ingestWith(file, 0, 300, 'litecoin');
    expect(inThread.error).toMatch(/blk00000\.dat: the file's network magic is bitcoin's, but --chain litecoin was given/);
    // The first frame is refused: no block, transaction or address is stored.
    for (const table of ['addresses', 'blocks', 'txs']) expect(inThread.dump).toMatch(new RegExp(`(^|\\n)${table}\\n\\[\\]\\n`));
    expect(await ingestWith(file, 1, 300, 'litecoin')).toEqual(inThread);
  });

  it('behavior: a resumed bulk ingest skips the stored blocks as it does in this thread', async () => {
    const blocks = realBlocks();
    const half = blkFile(blocks.slice(0, 200));
    const all = blkFile(blocks);
    const resumed = async (threads: number) => {
      const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-workers-')), 'case.db'), { create: true });
      await ingestFiles(store, [half], { at: AT, bulk: true, decodeThreads: threads });
      const s = await ingestFiles(store, [all], { at: AT, bulk: true, decodeThreads: threads });
      const out = { blocksAlreadyStored: s.blocksAlreadyStored, duplicates: s.duplicates, transactions: s.transactions, dump: dump(store) };
      store.close();
      return out;
    };
    const inThread = await resumed(0);
    expect(inThread.blocksAlreadyStored).toBe(200);
    expect(await resumed(1)).toEqual(inThread);
  });
});
