import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { decodeBlock, ingestFiles, openSqliteStore, readBlkFrames, rebuildClusters } from '../../../packages/adapters/dist/index.js';
import { type UtxoBlock, type UtxoTransaction, getChain, parseRuleSet } from '../../../packages/core/dist/index.js';
import { CLUSTER_RULES } from './cluster.js';

const AT = '2026-01-01T00:00:00.000Z';

/** The watched part of a chain: `count` blocks of exactly `blockTxs` transactions, and the frames before them. */
export interface WatchBlocks {
  /** The generated blocks the watched ones were cut from are the last frames; these are the ones before them. */
  head: Buffer[];
  blocks: UtxoBlock[];
  /** Transactions of the cut blocks left out after the last watched block (nothing later spends them). */
  dropped: number;
  /** Transactions a generated block held (median of the cut ones). */
  generatedBlockTxs: number;
}

/**
 * The last generated blocks of a chain, cut again into `count` blocks of `blockTxs` transactions each, in chain
 * order (the generator makes blocks of about 2,600, the issue asks for 3,000): the fewest last blocks that hold
 * `count × blockTxs` transactions are decoded, their transactions laid end to end (a cut block's coinbase stays
 * where it falls) and the tail left over dropped. Each new block has a made-up hash (sha256 of its txids) and the
 * time of the block its first transaction came from.
 */
export function watchBlocks(blks: string[], count: number, blockTxs: number): WatchBlocks {
  const frames: Buffer[] = [];
  for (const blk of blks) {
    const data = readFileSync(blk);
    for (const f of readBlkFrames((o, n) => data.subarray(o, o + n), data.length, blk)) frames.push(data.subarray(f.offset, f.offset + 8 + f.bytes.length));
  }
  const txCount = (f: Buffer) => decodeBlock(f.subarray(8), getChain('bitcoin'), { where: 'bench' }).transactions.length;
  let cut = 0;
  for (let sum = 0; sum < count * blockTxs; ) {
    if (++cut >= frames.length) throw new Error(`bench: the chain is too short for ${count} blocks of ${blockTxs} transactions with a stored part before them`);
    sum += txCount(frames[frames.length - cut]);
  }
  const head = frames.slice(0, -cut);
  const chain = getChain('bitcoin');
  const source = frames.slice(-cut).map((f) => decodeBlock(f.subarray(8), chain, { where: 'bench' }));
  const sizes = source.map((b) => b.transactions.length).sort((a, b) => a - b);
  const txs = source.flatMap((b) => b.transactions.map((t) => ({ t, time: b.header.time })));
  // Generated chains' files start at height 1, after the genesis block (the caller checks the store agrees).
  const last = decodeBlock(head[head.length - 1].subarray(8), chain, { where: 'bench' }).header;
  let prev = { hash: last.hash, height: head.length };
  const blocks: UtxoBlock[] = [];
  for (let k = 0; k < count; k++) {
    const part = txs.slice(k * blockTxs, (k + 1) * blockTxs);
    const hash = createHash('sha256').update(part.map((p) => p.t.txid).join('')).digest('hex');
    const ref = { hash, height: prev.height + 1, time: part[0].time };
    const transactions: UtxoTransaction[] = part.map((p, position) => ({ ...p.t, block: ref, position }));
    blocks.push({ header: { ...last, ...ref, prevHash: prev.hash, merkleRoot: hash, txCount: part.length }, transactions });
    prev = ref;
  }
  return { head, blocks, dropped: txs.length - count * blockTxs, generatedBlockTxs: sizes[sizes.length >> 1] };
}

/**
 * A store of the head of the chain, ingested (bulk) and clustered with CLUSTER_RULES, kept at `cached` between runs
 * (the same chain and cut give the same store) and copied to each of `copies`.
 */
export async function headStore(w: WatchBlocks, cached: string, scratch: string, copies: string[]): Promise<void> {
  if (!existsSync(cached)) {
    const tmp = `${cached}.tmp`;
    rmSync(tmp, { force: true });
    writeFileSync(`${scratch}/head.dat`, Buffer.concat(w.head));
    const store = openSqliteStore(tmp, { create: true });
    await ingestFiles(store, [`${scratch}/head.dat`], { at: AT, bulk: true });
    rebuildClusters(store, 'bitcoin', parseRuleSet(CLUSTER_RULES), { at: AT });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    rmSync(`${scratch}/head.dat`);
    renameSync(tmp, cached);
  }
  for (const c of copies) copyFileSync(cached, c);
}
