import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type PreparedChain, storePath } from './chain.js';
import { ROOT } from './deps.js';
import type { ResultRow, Side } from './results.js';
import { type Figures, runCase } from './spawn-case.js';

/** A case the harness can run: it measures ours and the reference, each in its own process. */
export interface PlannedCase {
  id: string;
  stage: string;
  run(): Promise<ResultRow>;
}

type Base = Omit<ResultRow, 'subject' | 'reference' | 'ratio' | 'status'>;

// ../shared beside the repository (see test/support/shared.ts), read in place.
const realBlock = () => join(process.env.CTRACE_SHARED ?? join(ROOT, '../shared'), 'data/bitcoin/raw-blocks/block413567.raw');
const fmtInt = (x: unknown) => Math.round(Number(x)).toLocaleString('en');

function side(label: string, f: Figures, valueKey: string, unit: string): Side {
  const { seconds, maxRssMb, load, ...details } = f;
  return { label, value: Number(f[valueKey]), unit, seconds: seconds ?? null, maxRssMb, load, details };
}

function compare(base: Base, subject: Side, reference: Side, note?: string): ResultRow {
  const ratio = subject.value / reference.value;
  const status = base.target !== null && ratio < base.target ? 'below target' : 'ok';
  const spread = [spreadOf('ours', subject), spreadOf('reference', reference)].filter((x) => x !== null);
  const text = [note, spread.length ? `median of ${spread.join('; ')}` : null].filter((x) => x).join('; ');
  return { ...base, subject, reference, ratio, status, ...(text ? { note: text } : {}) };
}

function spreadOf(who: string, side: Side): string | null {
  const { runs, range } = side.details as { runs?: number; range?: [number, number] };
  return runs && runs > 1 && range ? `${runs} runs ${who} ${range[0].toFixed(2)}-${range[1].toFixed(2)} s` : null;
}

/**
 * Runs per measurement: `--repeat` (BENCH_REPEAT), else by size: 5 up to 10^4 transactions and for the parse cases
 * (whose figure is a rate over many rounds), 3 at 10^5, 1 above (a 10^6 case takes minutes).
 */
function repeatsFor(size: number | null): number {
  const fixed = Number(process.env.BENCH_REPEAT ?? 0);
  if (Number.isInteger(fixed) && fixed >= 1) return fixed;
  if (size === null || size <= 10_000) return 5;
  return size <= 100_000 ? 3 : 1;
}

/**
 * A case run `runs` times, one process after another: the figures of the run with the median time (a real run, not
 * a mix of runs), with how many runs and the range of their times.
 */
async function median(runs: number, name: string, params: unknown): Promise<Figures> {
  const all: Figures[] = [];
  for (let k = 0; k < runs; k++) all.push(await runCase(name, params));
  if (runs === 1) return all[0];
  const seconds = (f: Figures) => Number(f.seconds);
  all.sort((a, b) => seconds(a) - seconds(b));
  return { ...all[(runs - 1) >> 1], runs, range: [seconds(all[0]), seconds(all[runs - 1])] };
}

/** Run a case; a failure becomes a 'failed' row with its message rather than ending the whole bench. */
async function guarded(base: Base, work: () => Promise<ResultRow>): Promise<ResultRow> {
  try {
    return await work();
  } catch (err) {
    return { ...base, subject: null, reference: null, ratio: null, status: 'failed', note: (err as Error).message };
  }
}

/** A row for a case whose code has not landed: reported, never faked. */
function notYet(base: Base, note: string): ResultRow {
  return { ...base, subject: null, reference: null, ratio: null, status: 'not yet available', note };
}

/** Whether a module of the built packages exports a function, so that a case can say it is not yet available. */
async function hasExport(module: string, name: string): Promise<boolean> {
  try {
    const m = (await import(join('../..', module) as string)) as Record<string, unknown>;
    return typeof m[name] === 'function';
  } catch {
    return false;
  }
}

/** Chains and the stores ingested from them, prepared once per run and shared by the cases. */
class Inputs {
  private chains = new Map<number, PreparedChain>();
  async chain(n: number): Promise<PreparedChain> {
    if (!this.chains.has(n)) this.chains.set(n, (await runCase('prepare', { transactions: n })) as unknown as PreparedChain);
    return this.chains.get(n)!;
  }
  /** The store of chain `n`: the one the ingest case of this run left, or a fresh ingest (untimed here). */
  async store(n: number): Promise<{ path: string; chain: PreparedChain }> {
    const chain = await this.chain(n);
    const path = storePath(chain.dir);
    if (!existsSync(path)) await runCase('ingest', { blks: chain.blks, keep: path, bulk: true });
    return { path, chain };
  }
}

function ingestCases(inputs: Inputs, n: number): PlannedCase[] {
  const base: Base = { id: `ingest-${n}`, stage: 'ingest', size: n, target: 0.5 };
  // One run of ours for both rows: the bulk path into a fresh store, indexes built, in the time.
  let ours: Promise<Figures> | null = null;
  const oursOnce = async () => {
    const chain = await inputs.chain(n);
    // A --before run measures another build: it does not replace the store the later cases read.
    ours ??= median(repeatsFor(n), 'ingest', { blks: chain.blks, bulk: true, keep: process.env.BENCH_ADAPTERS_DIST ? undefined : storePath(chain.dir) });
    return { chain, f: await ours };
  };
  const label = 'ingestFiles --bulk (blk files → queryable store, indexes built)';
  const rows: PlannedCase[] = [{
    id: base.id,
    stage: base.stage,
    run: () =>
      guarded(base, async () => {
        const { chain, f } = await oursOnce();
        const ref = await median(repeatsFor(n), 'minimal', { blks: chain.blks });
        return compare(base, side(label, f, 'txPerSec', 'tx/s'), side('better-sqlite3 inserts of the same numbers of rows into minimal tables (integer keys, no secondary index, 100k rows a transaction)', ref, 'txPerSec', 'tx/s'),
          `${fmtInt(f.txPerSec)} tx/s; ${fmtInt(f.rows)} rows vs ${fmtInt(ref.rows)}; CPU ${Number(f.cpuSeconds).toFixed(1)} s vs ${Number(ref.cpuSeconds).toFixed(1)} s (ours decodes, resolves and indexes too); input ${Number(chain.mb).toFixed(1)} MB from ${chain.generator}`);
      }),
  }];
  // The same-schema reference (prepared inserts into the store's indexed tables) holds every outpoint in memory:
  // up to 10^6.
  if (n <= 1_000_000) {
    const schema: Base = { id: `ingest-vs-schema-${n}`, stage: 'ingest-vs-schema', size: null, target: null };
    rows.push({
      id: schema.id,
      stage: schema.stage,
      run: () =>
        guarded(schema, async () => {
          const { chain, f } = await oursOnce();
          const ceiling = await median(repeatsFor(n), 'ceiling', { blks: chain.blks });
          return compare(schema, side(label, f, 'txPerSec', 'tx/s'), side('better-sqlite3 prepared inserts of the same rows into the store\'s schema with its indexes', ceiling, 'txPerSec', 'tx/s'),
            `${fmtInt(n)} txs; CPU ${Number(f.cpuSeconds).toFixed(1)} s vs ${Number(ceiling.cpuSeconds).toFixed(1)} s`);
        }),
    });
  }
  return rows;
}

function parseCase(inputs: Inputs, id: string, what: string, sources: () => Promise<string[]>, minBytes: number): PlannedCase {
  const base: Base = { id, stage: 'parse', size: null, target: 0.8 };
  return {
    id,
    stage: 'parse',
    run: () =>
      guarded(base, async () => {
        const files = await sources();
        const missing = files.find((f) => !existsSync(f));
        if (missing) return { ...base, subject: null, reference: null, ratio: null, status: 'skipped', note: `${missing} is absent` };
        const ours = await median(repeatsFor(null), 'parse', { sources: files, which: 'decodeBlock', minBytes });
        const ref = await median(repeatsFor(null), 'parse', { sources: files, which: 'bitcoinjs', minBytes });
        return compare(base, side('decodeBlock (model, txids, merkle check)', ours, 'txPerSec', 'tx/s'), side('bitcoinjs-lib Block.fromBuffer, getId() of every transaction, checkTxRoots', ref, 'txPerSec', 'tx/s'),
          `${what}: ${Number(ours.mbPerSec).toFixed(1)} MB/s vs ${Number(ref.mbPerSec).toFixed(1)} MB/s`);
      }),
  };
}

function clusterCases(inputs: Inputs, sizes: number[], incrementalSize: number): PlannedCase[] {
  // Three rule sets against the one reference: multi-input with its guards alone (the rule the reference's pairs
  // stand for), the multi-input with change, and all the UTXO rules (multi-input, change vote, peel-chain).
  const variants = [
    { suffix: '', stage: 'cluster', rules: 'multi-input,change', label: 'rebuildClusters multi-input,change (guards, evidence written)' },
    { suffix: 'multi-input-', stage: 'cluster-multi-input', rules: 'multi-input', label: 'rebuildClusters multi-input (guards, evidence written)' },
    { suffix: 'all-rules-', stage: 'cluster-all-rules', rules: 'multi-input,change,peel-chain', label: 'rebuildClusters multi-input,change,peel-chain (guards, evidence written)' },
  ];
  const references = new Map<number, Promise<Figures>>();
  const written = new Map<number, Promise<Figures>>();
  // A run of each (size, rule set) is shared by the rows that compare it (see the written reference below).
  const runs = new Map<string, Promise<Figures>>();
  const ours = (n: number, path: string, rules: string) => {
    if (!runs.has(`${path} ${rules}`)) runs.set(`${path} ${rules}`, median(repeatsFor(n), 'cluster', { store: path, rules }));
    return runs.get(`${path} ${rules}`)!;
  };
  // A row over the store of n transactions, once rebuildClusters is in the build.
  const row = (base: Base, n: number, body: (store: string) => Promise<ResultRow>): PlannedCase => ({
    id: base.id,
    stage: base.stage,
    run: async () => {
      if (!(await hasExport('packages/adapters/dist/index.js', 'rebuildClusters'))) return notYet(base, 'clustering over the store (rebuildClusters) is not in the build yet');
      return guarded(base, async () => body((await inputs.store(n)).path));
    },
  });
  // Against the bare union-find: reported, no target (the targets are against the written reference).
  const rows: PlannedCase[] = sizes.flatMap((n) => variants.map((v) => {
    const base: Base = { id: `cluster-${v.suffix}${n}`, stage: v.stage, size: n, target: null };
    return row(base, n, async (path) => {
      const f = await ours(n, path, v.rules);
      if (!references.has(n)) references.set(n, median(repeatsFor(n), 'union-find', { store: path }));
      const ref = await references.get(n)!;
      return compare(base, side(v.label, f, 'txPerSec', 'tx/s'), side('bare Int32Array union-find over the same (tx, input address) pairs', ref, 'txPerSec', 'tx/s'),
        `${fmtInt(f.links)} links ${JSON.stringify(f.linksByRule)}, ${f.coinjoins} CoinJoins skipped, ${f.refused} merges refused; reference: ${fmtInt(ref.pairs)} pairs, ${fmtInt(ref.unions)} unions; CPU ${Number(f.cpuSeconds).toFixed(1)} s vs ${Number(ref.cpuSeconds).toFixed(1)} s`);
    });
  }));
  // The multi-input rebuild and the all-rules one against a reference that also writes what a rebuild keeping its
  // evidence must: the targets (multi-input >= 0.8, all rules >= 0.5). No size (the id names it): the
  // subject is a row above, which the growth table already counts.
  const vsWritten = [
    { id: 'cluster-multi-input-vs-written', variant: variants[1], target: 0.8 },
    { id: 'cluster-all-rules-vs-written', variant: variants[2], target: 0.5 },
  ];
  for (const n of sizes) {
    for (const w of vsWritten) {
      const base: Base = { id: `${w.id}-${n}`, stage: 'cluster-vs-written', size: null, target: w.target };
      rows.push(row(base, n, async (path) => {
        const f = await ours(n, path, w.variant.rules);
        if (!written.has(n)) written.set(n, median(repeatsFor(n), 'union-find', { store: path, write: true }));
        const ref = await written.get(n)!;
        return compare(base, side(w.variant.label, f, 'txPerSec', 'tx/s'),
          side('the same union-find writing one cluster_links row per union (txid, height) and the members, with the store\'s bulk inserts and indexes', ref, 'txPerSec', 'tx/s'),
          `${fmtInt(n)} txs; ${fmtInt(f.links)} links written by ours, ${fmtInt(ref.unions)} by the reference; CPU ${Number(f.cpuSeconds).toFixed(1)} s vs ${Number(ref.cpuSeconds).toFixed(1)} s`);
      }));
    }
  }
  const base: Base = { id: `cluster-update-1-block-of-${incrementalSize}`, stage: 'cluster-update', size: null, target: null };
  rows.push({
    id: base.id,
    stage: base.stage,
    run: async () => {
      if (!(await hasExport('packages/adapters/dist/index.js', 'updateClusters'))) return notYet(base, 'incremental clustering (updateClusters) is not in the build yet');
      return guarded(base, async () => {
        const chain = await inputs.chain(incrementalSize);
        const { path } = await inputs.store(incrementalSize);
        const ours = await runCase('cluster-incremental', { blks: chain.blks });
        const full = await runCase('cluster', { store: path });
        const subject = side(`updateClusters after one block (${fmtInt(ours.blockTransactions)} txs)`, ours, 'txPerSec', 'tx/s');
        const reference = side(`rebuildClusters of the whole store (${fmtInt(full.transactions)} txs)`, full, 'txPerSec', 'tx/s');
        return { ...base, subject, reference, ratio: Number(full.seconds) / Number(ours.seconds), status: 'ok',
          note: `ratio here = full rebuild time / one-block update time (${Number(ours.seconds).toFixed(2)} s vs ${Number(full.seconds).toFixed(2)} s); the update read ${fmtInt(ours.read)} transactions` };
      });
    },
  });
  return rows;
}

function taintCases(inputs: Inputs, n: number, hops: number): PlannedCase[] {
  let reference: Promise<Figures> | null = null;
  return ['haircut', 'fifo'].map((policy) => {
    const base: Base = { id: `taint-${policy}-${n}`, stage: `taint-${policy}`, size: n, target: null };
    return seededCase(inputs, n, base, async (path, seed) => {
      const ours = await median(repeatsFor(n), 'taint', { store: path, seed, policy, hops });
      reference ??= median(repeatsFor(n), 'stream', { store: path });
      const ref = await reference;
      return compare(base, side(`ctrace trace --policy ${policy} --hops ${hops} (in process)`, ours, 'txPerSec', 'tx/s'), side('one bare pass of the whole chain in block order (what the walk read before it followed only the case)', ref, 'txPerSec', 'tx/s'),
        `from the market's hot wallet ${seed}: ${fmtInt(ours.taintedOutputs)} tainted outputs, ${fmtInt(ours.addressesReached)} addresses reached, ${fmtInt(ours.walkVisited)} transactions read by the walk, ${fmtInt(ours.jsonMb)} MB of JSON printed; rate = store transactions / time`);
    });
  });
}

/** A case over the store of n transactions, from the market's hot wallet (the generator's truth names it). */
function seededCase(inputs: Inputs, n: number, base: Base, body: (store: string, seed: string) => Promise<ResultRow>): PlannedCase {
  return {
    id: base.id,
    stage: base.stage,
    run: () =>
      guarded(base, async () => {
        const { path, chain } = await inputs.store(n);
        if (!chain.seedAddress) return notYet(base, 'needs the scenario generator (a darknet market with its truth) for the seed');
        return body(path, chain.seedAddress);
      }),
  };
}

function traceCases(inputs: Inputs, n: number): PlannedCase[] {
  // One run of the case measures both forms; each is a row against the one-second budget.
  let figures: Promise<Figures> | null = null;
  const forms = [
    { id: `trace-report-${n}`, label: 'ctrace trace + ctrace export html --trace (two cold runs of the binary)', seconds: (f: Figures) => Number(f.seconds), rss: (f: Figures) => Number(f.childMaxRssMb),
      note: (f: Figures) => `trace ${Number(f.traceSeconds).toFixed(2)} s + report ${Number(f.reportSeconds).toFixed(2)} s (${f.reportKb} KB of HTML, ${f.taintedOutputs} tainted outputs); a bare \`node -e ''\` takes ${Number(f.nodeStartSeconds).toFixed(2)} s here` },
    { id: `trace-report-one-step-${n}`, label: 'ctrace --json trace --report (one cold run: the trace printed, its report written)', seconds: (f: Figures) => Number(f.oneStepSeconds), rss: (f: Figures) => Number(f.oneStepMaxRssMb),
      note: (f: Figures) => `the same trace and report from one start and one walk (${f.taintedOutputs} tainted outputs); a bare \`node -e ''\` takes ${Number(f.nodeStartSeconds).toFixed(2)} s here` },
  ];
  return forms.map((form) => {
    const base: Base = { id: form.id, stage: 'trace-report', size: n, target: 1 };
    return seededCase(inputs, n, base, async (path, seed) => {
      figures ??= runCase('trace-report', { store: path, seed });
      const f = await figures;
      const seconds = form.seconds(f);
      const subject: Side = { ...side(form.label, { ...f, seconds, perSecond: 1 / seconds }, 'perSecond', 'per s'), maxRssMb: form.rss(f) };
      const reference: Side = { label: 'the interactive budget: one second', value: 1, unit: 'per s', seconds: 1, maxRssMb: 0, load: f.load, details: {} };
      return compare(base, subject, reference, form.note(f));
    });
  });
}

function fetchCase(mode: string): PlannedCase {
  const concurrency = 16;
  const latencyMs = 20;
  const requests = mode === 'tiny' ? 400 : 4000;
  const base: Base = { id: `fetch-c${concurrency}-${latencyMs}ms`, stage: 'fetch', size: requests, target: 0.8 };
  return {
    id: base.id,
    stage: 'fetch',
    run: () =>
      guarded(base, async () => {
        const ours = await runCase('fetch', { which: 'client', requests, concurrency, latencyMs });
        const bare = await runCase('fetch', { which: 'bare', requests, concurrency, latencyMs });
        const ideal = Number(ours.idealRps);
        const idealSide: Side = { label: `ideal: concurrency / latency = ${concurrency} / ${latencyMs} ms`, value: ideal, unit: 'req/s', seconds: requests / ideal, maxRssMb: 0, load: ours.load, details: {} };
        return compare(base, side('createHttpClient getJson', ours, 'rps', 'req/s'), idealSide,
          `${requests} requests; bare fetch with ${concurrency} in flight, same run: ${Number(bare.rps).toFixed(0)} req/s (${(Number(bare.rps) / ideal).toFixed(2)} of ideal), peak RSS ${bare.maxRssMb} MB`);
      }),
  };
}

/** Every case of a run, in order: ingest first, since it leaves the stores the later cases read. */
export function planCases(sizes: number[], mode: string): PlannedCase[] {
  const inputs = new Inputs();
  const small = sizes[0];
  const largest = sizes[sizes.length - 1];
  const big = sizes.filter((n) => n >= 100_000);
  const clusterSizes = big.length > 0 ? big : [largest];
  const incremental = sizes.filter((n) => n <= 100_000).pop() ?? small;
  const minBytes = mode === 'tiny' ? 2e6 : 40e6;
  return [
    ...sizes.flatMap((n) => ingestCases(inputs, n)),
    parseCase(inputs, 'parse-block413567', 'mainnet block 413,567', async () => [realBlock()], minBytes),
    parseCase(inputs, `parse-generated-${small}`, `the generated chain of ${small.toLocaleString('en')} txs`, async () => (await inputs.chain(small)).blks, minBytes),
    ...clusterCases(inputs, clusterSizes, incremental),
    // The taint case is the largest size; the smaller ones show how its time and memory grow.
    ...sizes.flatMap((n) => taintCases(inputs, n, 20)),
    ...traceCases(inputs, mode === 'tiny' ? small : Math.min(10_000, largest)),
    fetchCase(mode),
    ...big.map((n) => watchCase(inputs, n)),
    ...big.map((n) => featuresCase(inputs, n)),
    watchWakeCase(mode),
    // Two worlds ten times apart, blocks of one size (800 txs): a block's cost should not grow with the chain.
    ...(mode === 'tiny' ? [watchEvmCase(2_000, 80)] : [watchEvmCase(20_000, 800), watchEvmCase(200_000, 800)]),
  ];
}

/** `ctrace watch` on an EVM chain over the last 10 blocks (of `blockTxs` transactions) of the generated stablecoin-aggregator world of n transactions. */
function watchEvmCase(n: number, blockTxs: number): PlannedCase {
  const base: Base = { id: `watch-evm-${n}`, stage: 'watch', size: n, target: null, growth: false };
  return {
    id: base.id,
    stage: base.stage,
    run: async () => {
      if (!(await hasExport('packages/adapters/dist/index.js', 'evaluateAccountBlock'))) return notYet(base, 'the watch of EVM chains (evaluateAccountBlock) is not in the build yet');
      return guarded(base, async () => {
        const f = await runCase('watch-evm', { txs: n, blocks: 10, blockTxs });
        const subject = side(`watch (EVM): store, cluster update, movement and fifo exposure for 20 watched senders, growth of 2 clusters (${fmtInt(f.transactions)} txs in ${f.blocks} blocks)`, f, 'txPerSec', 'tx/s');
        const reference = side('store.write of the same blocks into the same store (storing them alone)', { seconds: f.referenceSeconds, maxRssMb: f.maxRssMb, load: f.load, txPerSec: f.referenceTxPerSec } as Figures, 'txPerSec', 'tx/s');
        return { ...base, subject, reference, ratio: Number(f.txPerSec) / Number(f.referenceTxPerSec), status: 'ok',
          note: `${fmtInt(f.alerts)} alerts; ${fmtInt(f.holdingRows)} holding rows; exposure entries unlike one fifo walk over the blocks: ${f.exposureEntriesUnlikeTheWalk}; block-to-alerts lag median ${Number(f.lagMedianSeconds).toFixed(2)} s, p99 ${Number(f.lagP99Seconds).toFixed(2)} s; no RPC (an in-process source)` };
      });
    },
  };
}

/**
 * How soon a watch looks at a new block: woken by a ZMQ hashblock notification, against polling every second (the
 * default --poll is 10 s: ten times the polling figure). Ratio: the polling lag over the notified one.
 */
function watchWakeCase(mode: string): PlannedCase {
  const blocks = mode === 'tiny' ? 8 : 20;
  const pollSeconds = 1;
  const base: Base = { id: `watch-wake-${blocks}`, stage: 'watch-wake', size: blocks, target: null, growth: false };
  return {
    id: base.id,
    stage: base.stage,
    run: async () => {
      if (!(await hasExport('packages/adapters/dist/index.js', 'createBlockWaker'))) return notYet(base, 'the block waker (createBlockWaker) is not in the build yet');
      return guarded(base, async () => {
        const notify = await runCase('watch-wake', { mode: 'notify', blocks, pollSeconds });
        const poll = await runCase('watch-wake', { mode: 'poll', blocks, pollSeconds });
        const subject = side(`watch woken by hashblock (libzmq PUB -> ZMTP subscriber -> waker), ${blocks} empty blocks`, notify, 'lagMedianMs', 'ms lag');
        const reference = side(`watch polling every ${pollSeconds} s, the same blocks at the same times`, poll, 'lagMedianMs', 'ms lag');
        return { ...base, subject, reference, ratio: Number(poll.lagMedianMs) / Number(notify.lagMedianMs), status: 'ok',
          note: `ratio: times sooner (lower lag is better); notified p90 ${Number(notify.lagP90Ms).toFixed(1)} ms, max ${Number(notify.lagMaxMs).toFixed(1)} ms; polled p90 ${Number(poll.lagP90Ms).toFixed(0)} ms, max ${Number(poll.lagMaxMs).toFixed(0)} ms` };
      });
    },
  };
}

/** `ctrace watch` end to end over the last transactions of a chain of n, cut into 10 blocks of 3,000 (the generator's hold about 2,600). */
function watchCase(inputs: Inputs, n: number): PlannedCase {
  const base: Base = { id: `watch-${n}`, stage: 'watch', size: n, target: null, growth: false };
  return {
    id: base.id,
    stage: base.stage,
    run: async () => {
      if (!(await hasExport('packages/adapters/dist/index.js', 'runWatch'))) return notYet(base, 'the watch loop (runWatch) is not in the build yet');
      return guarded(base, async () => {
        const chain = await inputs.chain(n);
        const f = await runCase('watch', { blks: chain.blks, blocks: 10, blockTxs: 3000 });
        const subject = side(`watch: store, cluster update, rules for 20 watched addresses, alerts (${fmtInt(f.transactions)} txs in ${f.blocks} blocks of ${fmtInt(f.blockTxs)})`, f, 'txPerSec', 'tx/s');
        const reference = side('the same blocks written alone into the same store, a transaction a block (storing them)', { seconds: f.referenceSeconds, maxRssMb: f.maxRssMb, load: f.load, txPerSec: f.referenceTxPerSec } as Figures, 'txPerSec', 'tx/s');
        return { ...base, subject, reference, ratio: Number(f.txPerSec) / Number(f.referenceTxPerSec), status: 'ok',
          note: `${fmtInt(f.storeTransactions)} transactions in the store after; block-to-alerts lag median ${Number(f.lagMedianSeconds).toFixed(2)} s, p99 ${Number(f.lagP99Seconds).toFixed(2)} s (of ${f.blocks} blocks: the slowest); ${fmtInt(f.alerts)} alerts; the generator's last blocks (about ${fmtInt(f.generatedBlockTxs)} txs each) cut into blocks of ${fmtInt(f.blockTxs)}; no RPC (an in-process source)` };
      });
    },
  };
}

/** The learned identifier's features over the store of n transactions, against reading the same rows bare. */
function featuresCase(inputs: Inputs, n: number): PlannedCase {
  const base: Base = { id: `features-${n}`, stage: 'features', size: n, target: null };
  const body = async () => {
    const { path } = await inputs.store(n);
    const ours = await median(repeatsFor(n), 'features', { store: path });
    const ref = await median(repeatsFor(n), 'features-read', { store: path });
    return compare(base, side('walletFeatureTable: every wallet\'s features (one pass, PageRank both ways), every vector computed', ours, 'txPerSec', 'tx/s'),
      side('the same three cursors (txs, inputs, outputs) read bare, nothing computed', ref, 'txPerSec', 'tx/s'),
      `${fmtInt(ours.wallets)} wallets, ${fmtInt(ours.edges)} payment edges, PageRank ${JSON.stringify(ours.pagerank)}${ours.clusteredHere ? ' (clustered first, untimed)' : ''}; CPU ${Number(ours.cpuSeconds).toFixed(1)} s vs ${Number(ref.cpuSeconds).toFixed(1)} s`);
  };
  const missing = 'the streaming feature pass (walletFeatureTable) is not in the build yet';
  return { id: base.id, stage: base.stage, run: async () => ((await hasExport('packages/adapters/dist/index.js', 'walletFeatureTable')) ? guarded(base, body) : notYet(base, missing)) };
}
