import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openSqliteStore, runWatch } from '../../../packages/adapters/dist/index.js';
import { type UtxoTransaction, getChain, parseWatchlist } from '../../../packages/core/dist/index.js';
import { headStore, watchBlocks } from './watch-blocks.js';

const AT = '2026-01-01T00:00:00.000Z';

/**
 * `ctrace watch` end to end over the last `blocks` blocks of a generated chain, cut again into blocks of
 * `blockTxs` transactions (watchBlocks), the rest of the chain ingested and clustered first: each block handed over
 * by an in-process source (no RPC: the node's share of the time is left out), stored, clusters updated, the watch
 * rules evaluated for 20 watched addresses, alerts committed. Lag: from the source handing a block over to its
 * alerts committed. Reference: the same blocks written alone into a copy of the same store, one SQLite transaction
 * a block (what storing them costs).
 */
export async function watchCase(params: { blks: string[]; blocks: number; blockTxs?: number }): Promise<Record<string, unknown>> {
  const blockTxs = params.blockTxs ?? 3000;
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const w = watchBlocks(params.blks, params.blocks, blockTxs);
    const chainDir = dirname(params.blks[0]);
    const cached = join(dirname(chainDir), `${basename(chainDir)}.watch-${params.blocks}x${blockTxs}.db`);
    await headStore(w, cached, dir, [join(dir, 'watch.db'), join(dir, 'reference.db')]);
    const chain = getChain('bitcoin');
    const store = openSqliteStore(join(dir, 'watch.db'));
    const decoded = w.blocks;
    const firstHeight = decoded[0].header.height!;
    if (store.getBlock('bitcoin', decoded[0].header.prevHash)?.height !== firstHeight - 1) throw new Error('bench: the head store does not end where the watched blocks start');
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
      chain: 'bitcoin', entries, from: firstHeight, once: true, now: () => AT,
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

    const ref = openSqliteStore(join(dir, 'reference.db'));
    const provenance = { source: 'memory', locator: 'memory', format: 'raw-block', at: AT };
    const r0 = performance.now();
    for (const b of decoded) ref.write({ provenance, blocks: [b.header], utxoTransactions: b.transactions });
    const refSeconds = (performance.now() - r0) / 1000;
    ref.close();
    return {
      seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, blocks: summary.blocks, blockTxs, generatedBlockTxs: w.generatedBlockTxs, droppedTxs: w.dropped,
      height, transactions, storeTransactions, alerts,
      txPerSec: transactions / seconds, lagMedianSeconds: pick(0.5), lagP99Seconds: pick(0.99),
      referenceSeconds: refSeconds, referenceTxPerSec: transactions / refSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
