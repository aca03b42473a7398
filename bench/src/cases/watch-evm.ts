import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, rebuildClusters, runWatch } from '../../../packages/adapters/dist/index.js';
import { type AccountTransaction, getChain, parseWatchlist, propagateAccountTaint } from '../../../packages/core/dist/index.js';

/**
 * `ctrace watch` on an EVM chain end to end over the last `blocks` blocks of the generated stablecoin-aggregator
 * world of `txs` transactions, the rest of it stored and clustered first: each block handed over by an in-process
 * source (no RPC), stored, clusters updated, the rules evaluated for 20 watched senders (movement, fifo exposure
 * with holdings carried in the store) and 2 watched clusters, alerts committed. Reference: writing the same blocks
 * into a copy of the same store (what storing them costs alone).
 */
export async function watchEvmCase(params: { txs: number; blocks: number; blockTxs?: number }): Promise<Record<string, unknown>> {
  const { evmScenario } = await import('../../../fixtures/dist/index.js' as string) as typeof import('../../../fixtures/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const generated = [...evmScenario('stablecoin-aggregator', { txs: params.txs, seed: 1, blockTxs: params.blockTxs })];
    const blocks = generated.map((b, i) => ({
      number: b.height, hash: b.hash, parentHash: i === 0 ? `0x${'0'.repeat(64)}` : generated[i - 1].hash,
      timestamp: b.transactions[0]?.blockTime ?? 0, txs: b.transactions as AccountTransaction[],
    }));
    const head = blocks.slice(0, -params.blocks);
    const tail = blocks.slice(-params.blocks);
    const chain = getChain('ethereum');
    const at = '2026-01-01T00:00:00.000Z';
    const provenance = { source: 'bench', locator: 'memory', format: 'generated', at };
    const header = (b: (typeof blocks)[number]) => ({ chain: chain.name, hash: b.hash, height: b.number, time: b.timestamp, prevHash: b.parentHash, merkleRoot: '', version: 0, bits: 0, nonce: 0, txCount: b.txs.length });
    const prepare = (name: string) => {
      const store = openSqliteStore(join(dir, `${name}.db`), { create: true });
      store.db.transaction(() => {
        for (const b of head) store.write({ provenance, blocks: [header(b)], accountTransactions: b.txs });
      })();
      return store;
    };
    const store = prepare('watch');
    rebuildClusters(store, chain.name, undefined, { at });
    const senders = [...new Set(tail.flatMap((b) => b.txs.map((t) => t.from)))].slice(0, 20);
    const entries = parseWatchlist({ watch: [...senders.map((a) => ({ address: a, rules: ['movement', 'exposure'] })), ...senders.slice(0, 2).map((a) => ({ cluster: a, rules: ['cluster-growth'] }))] }, chain);
    const byHeight = new Map(blocks.map((b) => [b.number, b]));
    const arrived = new Map<number, number>();
    const lags: number[] = [];
    const source = {
      chain, kind: 'memory', locator: 'memory', format: 'generated', capabilities: { addressHistory: false, spenders: false },
      async getTransaction(): Promise<never> {
        throw new Error('not in the bench source');
      },
      async getBlock(): Promise<never> {
        throw new Error('the watch reads EVM blocks with readBlockRecords');
      },
      async readBlockRecords(h: string | number) {
        const b = byHeight.get(Number(h))!;
        arrived.set(b.number, performance.now());
        return { block: { number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp, transactions: b.txs as never[] }, records: { accountTransactions: b.txs } };
      },
      async tipHeight() {
        return tail[tail.length - 1].number;
      },
    };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let alerts = 0;
    const summary = await runWatch(store, source, {
      chain: chain.name, entries, from: tail[0].number, once: true, now: () => at,
      onProgress: (p) => lags.push(performance.now() - arrived.get(p.height)!),
      onAlerts: (a) => {
        alerts += a.length;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const transactions = tail.reduce((s, b) => s + b.txs.length, 0);
    const storeTransactions = store.db.prepare('SELECT count(*) FROM account_txs').pluck().get() as number;
    const holdingRows = store.db.prepare('SELECT count(*) FROM watch_holdings').pluck().get() as number;
    // Accuracy alongside the speed: each entry's exposure alerts are what one fifo walk over the watched blocks gives.
    const raised = (store.db.prepare("SELECT body FROM watch_alerts WHERE json_extract(body, '$.rule') = 'exposure' ORDER BY seq").pluck().all() as string[]).map((b) => JSON.parse(b) as { watch: { key: string }; txid: string; address: string; amount: string });
    let mismatched = 0;
    for (const e of entries.filter((x) => x.rules.includes('exposure'))) {
      const run = propagateAccountTaint(tail.flatMap((b) => b.txs), { policy: 'fifo', seeds: { addresses: [e.subject] }, maxHops: e.maxHops });
      const walked = run.outputs.filter((o) => o.holder !== e.subject && o.taint * 2n >= o.value).map((o) => `${o.txid} ${o.holder} ${o.taint}`);
      const mine = raised.filter((a) => a.watch.key === e.key).map((a) => `${a.txid} ${a.address} ${a.amount}`);
      if (walked.join('\n') !== mine.join('\n')) mismatched++;
    }
    store.close();
    lags.sort((a, b) => a - b);
    const pick = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] / 1000;

    const ref = prepare('reference');
    const r0 = performance.now();
    for (const b of tail) ref.db.transaction(() => ref.write({ provenance, blocks: [header(b)], accountTransactions: b.txs }))();
    const refSeconds = (performance.now() - r0) / 1000;
    ref.close();
    return {
      seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, blocks: summary.blocks, transactions, storeTransactions, alerts, holdingRows, exposureEntriesUnlikeTheWalk: mismatched,
      txPerSec: transactions / seconds, lagMedianSeconds: pick(0.5), lagP99Seconds: pick(0.99),
      referenceSeconds: refSeconds, referenceTxPerSec: transactions / refSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
