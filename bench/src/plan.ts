import { join } from 'node:path';
import { chainPath } from './chain.js';
import { ROOT } from './deps.js';
import type { ResultRow, Side } from './results.js';
import { type Figures, runCase } from './spawn-case.js';

/** A case the harness can run: it measures ours and the reference, each in its own process. */
export interface PlannedCase {
  id: string;
  stage: string;
  run(): Promise<ResultRow>;
}

const REAL_BLOCK = '/work/shared/data/bitcoin/raw-blocks/block413567.raw';
const realBlock = () => (process.env.CTRACE_SHARED ? join(process.env.CTRACE_SHARED, 'data/bitcoin/raw-blocks/block413567.raw') : REAL_BLOCK);

function side(label: string, f: Figures, valueKey: string, unit: string): Side {
  const { seconds, maxRssMb, load, ...details } = f;
  return { label, value: Number(f[valueKey]), unit, seconds: seconds ?? null, maxRssMb, load, details };
}

function compare(base: Omit<ResultRow, 'subject' | 'reference' | 'ratio' | 'status'>, subject: Side, reference: Side): ResultRow {
  const ratio = subject.value / reference.value;
  const status = base.target !== null && ratio < base.target ? 'below target' : 'ok';
  return { ...base, subject, reference, ratio, status };
}

/** Run a case; a failure becomes a 'failed' row with its message rather than ending the whole bench. */
async function guarded(base: Omit<ResultRow, 'subject' | 'reference' | 'ratio' | 'status'>, work: () => Promise<ResultRow>): Promise<ResultRow> {
  try {
    return await work();
  } catch (err) {
    return { ...base, subject: null, reference: null, ratio: null, status: 'failed', note: (err as Error).message };
  }
}

export function notYet(id: string, stage: string, size: number | null, target: number | null, note: string): PlannedCase {
  return { id, stage, run: async () => ({ id, stage, size, subject: null, reference: null, ratio: null, target, status: 'not yet available', note }) };
}

function ingestCases(sizes: number[]): PlannedCase[] {
  return sizes.map((n) => {
    const base = { id: `ingest-${n}`, stage: 'ingest', size: n, target: 0.5 };
    return {
      ...base,
      run: () =>
        guarded(base, async () => {
          const prep = await runCase('prepare', { transactions: n });
          const blk = String(prep.path);
          const ours = await runCase('ingest', { blk });
          const ceiling = await runCase('ceiling', { blk });
          const row = compare(base, side('ingestFiles (blk file → store)', ours, 'txPerSec', 'tx/s'), side('better-sqlite3 prepared inserts, same rows', ceiling, 'txPerSec', 'tx/s'));
          row.note = `${Math.round(Number(ours.rowsPerSec)).toLocaleString('en')} rows/s vs ${Math.round(Number(ceiling.rowsPerSec)).toLocaleString('en')} rows/s; ${Number(ours.rows).toLocaleString('en')} rows; input ${Number(prep.mb).toFixed(1)} MB from ${prep.generator}`;
          return row;
        }),
    };
  });
}

function parseCases(sizes: number[], mode: string): PlannedCase[] {
  const minBytes = mode === 'tiny' ? 2e6 : 40e6;
  const sources: { id: string; source: () => string; what: string }[] = [
    { id: 'parse-block413567', source: realBlock, what: 'mainnet block 413,567' },
    { id: `parse-generated-${sizes[0]}`, source: () => chainPath(sizes[0]), what: `generated chain of ${sizes[0]} txs` },
  ];
  return sources.map(({ id, source, what }) => {
    const base = { id, stage: 'parse', size: null, target: null };
    return {
      ...base,
      run: () =>
        guarded(base, async () => {
          if (id.startsWith('parse-generated')) await runCase('prepare', { transactions: sizes[0] });
          const ours = await runCase('parse', { source: source(), which: 'decodeBlock', minBytes });
          const ref = await runCase('parse', { source: source(), which: 'fromBuffer', minBytes });
          const row = compare(base, side('decodeBlock (model, txids, merkle check)', ours, 'txPerSec', 'tx/s'), side('bitcoinjs-lib Block.fromBuffer', ref, 'txPerSec', 'tx/s'));
          row.note = `${what}; ${Number(ours.mbPerSec).toFixed(1)} MB/s vs ${Number(ref.mbPerSec).toFixed(1)} MB/s`;
          return row;
        }),
    };
  });
}

function fetchCases(mode: string): PlannedCase[] {
  const concurrency = 16;
  const latencyMs = 20;
  const requests = mode === 'tiny' ? 400 : 4000;
  const base = { id: `fetch-c${concurrency}-${latencyMs}ms`, stage: 'fetch', size: requests, target: 0.8 };
  return [
    {
      ...base,
      run: () =>
        guarded(base, async () => {
          const ours = await runCase('fetch', { which: 'client', requests, concurrency, latencyMs });
          const bare = await runCase('fetch', { which: 'bare', requests, concurrency, latencyMs });
          const ideal = Number(ours.idealRps);
          const idealSide: Side = { label: `ideal: concurrency / latency = ${concurrency} / ${latencyMs} ms`, value: ideal, unit: 'req/s', seconds: requests / ideal, maxRssMb: 0, load: ours.load, details: {} };
          const row = compare(base, side('createHttpClient getJson', ours, 'rps', 'req/s'), idealSide);
          row.note = `bare fetch with ${concurrency} in flight, same run: ${Number(bare.rps).toFixed(0)} req/s (${(Number(bare.rps) / ideal).toFixed(2)} of ideal), peak RSS ${bare.maxRssMb} MB`;
          return row;
        }),
    },
  ];
}

/** Every case of a run, in order. */
export function planCases(sizes: number[], mode: string): PlannedCase[] {
  const big = sizes.filter((n) => n >= 100_000);
  const clusterSizes = big.length > 0 ? big : [sizes[sizes.length - 1]];
  return [
    ...ingestCases(sizes),
    ...parseCases(sizes, mode),
    ...clusterSizes.map((n) => notYet(`cluster-${n}`, 'cluster', n, 0.5, 'clustering over the store (core/src/cluster) is not wired into the bench yet')),
    notYet('cluster-incremental-1-block', 'cluster', null, null, 'incremental clustering of one block: not yet available'),
    notYet(`taint-${Math.max(...sizes)}`, 'taint', Math.max(...sizes), null, 'taint (haircut, fifo) from a darknet-market seed: needs the scenario generator with truth'),
    notYet('trace-report-10000', 'trace', 10_000, null, 'trace with its report over a cached neighbourhood: not yet available'),
    ...fetchCases(mode),
  ];
}

export { ROOT };
