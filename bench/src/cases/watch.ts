import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlock, ingestFiles, openSqliteStore, readBlkFrames, rebuildClusters, runWatch } from '../../../packages/adapters/dist/index.js';
import { type UtxoTransaction, getChain, parseWatchlist, parseRuleSet } from '../../../packages/core/dist/index.js';
import { CLUSTER_RULES } from './cluster.js';

/**
 * `ctrace watch` end to end over the last `blocks` blocks of a generated chain, the rest of it ingested and
 * clustered first: each block handed over by an in-process source (no RPC: the node's share of the time is left
 * out), stored, clusters updated, the watch rules evaluated for 20 watched addresses, alerts committed. Reference:
 * `ingestFiles` of the same blocks into a copy of the same store (what storing them costs alone).
 */
export async function watchCase(params: { blks: string[]; blocks: number }): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const frames: Buffer[] = [];
    for (const blk of params.blks) {
      const data = readFileSync(blk);
      for (const f of readBlkFrames((o, n) => data.subarray(o, o + n), data.length, blk)) frames.push(data.subarray(f.offset, f.offset + 8 + f.bytes.length));
    }
    const head = frames.slice(0, -params.blocks);
    const tail = frames.slice(-params.blocks);
    writeFileSync(join(dir, 'head.dat'), Buffer.concat(head));
    writeFileSync(join(dir, 'tail.dat'), Buffer.concat(tail));
    const chain = getChain('bitcoin');
    const at = '2026-01-01T00:00:00.000Z';
    const prepare = async (name: string) => {
      const store = openSqliteStore(join(dir, `${name}.db`), { create: true });
      await ingestFiles(store, [join(dir, 'head.dat')], { at });
      return store;
    };
    const store = await prepare('watch');
    // Heights follow from the previous block: the first block's parent is the last of the head.
    const heights = new Map<string, number>();
    const headLast = decodeBlock(head[head.length - 1].subarray(8), chain, { where: 'bench' });
    heights.set(headLast.header.hash, store.getBlock('bitcoin', headLast.header.hash)!.height!);
    const decoded = tail.map((f) => {
      const b = decodeBlock(f.subarray(8), chain, { where: 'bench', heightOf: (h: string) => heights.get(h) ?? null });
      heights.set(b.header.hash, b.header.height!);
      return b;
    });
    // Watched: the first 20 addresses that spend in the watched blocks (movement and exposure), 2 of them with
    // their clusters (cluster growth). Their coins are in the stored part of the chain.
    const holderOfPrevout = store.db.prepare('SELECT a.address FROM txs t JOIN outputs o ON o.tx_id = t.id AND o.n = ? JOIN addresses a ON a.id = o.address_id WHERE t.chain = ? AND t.txid = ?').pluck();
    const spenders: string[] = [];
    for (const b of decoded) {
      for (const t of b.transactions as UtxoTransaction[]) {
        for (const i of t.inputs) {
          const h = i.coinbase ? undefined : (holderOfPrevout.get(i.prevVout, 'bitcoin', i.prevTxid) as string | undefined);
          if (h && spenders.length < 20 && !spenders.includes(h)) spenders.push(h);
        }
      }
    }
    const entries = parseWatchlist({ watch: [...spenders.map((a) => ({ address: a, rules: ['movement', 'exposure'] })), ...spenders.slice(0, 2).map((a) => ({ cluster: a, rules: ['cluster-growth'] }))] }, chain);

    rebuildClusters(store, 'bitcoin', parseRuleSet(CLUSTER_RULES), { at });
    const firstHeight = decoded[0].header.height!;
    const byHeight = new Map(decoded.map((b) => [b.header.height!, b]));
    const arrived = new Map<number, number>();
    const lags: number[] = [];
    const source = {
      chain, kind: 'memory', locator: 'memory', format: 'raw-block', capabilities: { addressHistory: false, spenders: false },
      async getTransaction(): Promise<never> {
        throw new Error('not in the bench source');
      },
      async getBlock(h: string | number) {
        const b = byHeight.get(Number(h));
        if (!b) {
          // The watch asks for the block it starts after: stored already.
          const header = store.getBlock('bitcoin', Number(h));
          if (!header) throw new Error(`no block ${h}`);
          return { blocks: [header], utxoTransactions: [] };
        }
        arrived.set(Number(h), performance.now());
        return { blocks: [b.header], utxoTransactions: b.transactions };
      },
      async tipHeight() {
        return firstHeight + decoded.length - 1;
      },
    };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let alerts = 0;
    let height = firstHeight - 1;
    const summary = await runWatch(store, source, {
      chain: 'bitcoin', entries, from: firstHeight, once: true, now: () => at,
      onProgress: (p) => {
        lags.push(performance.now() - arrived.get(p.height)!);
        height = p.height;
      },
      onAlerts: (a) => {
        alerts += a.length;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const transactions = decoded.reduce((s, b) => s + b.transactions.length, 0);
    const storeTransactions = store.db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
    store.close();
    lags.sort((a, b) => a - b);
    const pick = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] / 1000;

    const ref = await prepare('reference');
    const r0 = performance.now();
    await ingestFiles(ref, [join(dir, 'tail.dat')], { at });
    const refSeconds = (performance.now() - r0) / 1000;
    ref.close();
    return {
      seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, blocks: summary.blocks, height, transactions, storeTransactions, alerts,
      txPerSec: transactions / seconds, lagMedianSeconds: pick(0.5), lagP99Seconds: pick(0.99),
      referenceSeconds: refSeconds, referenceTxPerSec: transactions / refSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
