import { processFacts } from './measure.js';

type CaseFn = (params: never) => Promise<Record<string, unknown>>;

/** Each case runs alone in its own process, so that its peak memory is its own; only its own modules are loaded. */
const CASES: Record<string, () => Promise<CaseFn>> = {
  prepare: async () => (await import('./chain.js')).prepareChain as CaseFn,
  ingest: async () => (await import('./cases/ingest.js')).ingestCase,
  ceiling: async () => (await import('./cases/ceiling.js')).ceilingCase,
  minimal: async () => (await import('./cases/minimal.js')).minimalCase,
  parse: async () => (await import('./cases/parse.js')).parseCase,
  fetch: async () => (await import('./cases/fetch.js')).fetchCase,
  cluster: async () => (await import('./cases/cluster.js')).clusterCase,
  'union-find': async () => (await import('./cases/cluster.js')).unionFindCase,
  'cluster-incremental': async () => (await import('./cases/cluster.js')).clusterIncrementalCase,
  taint: async () => (await import('./cases/taint.js')).taintCase,
  stream: async () => (await import('./cases/taint.js')).streamCase,
  'trace-report': async () => (await import('./cases/trace.js')).traceReportCase,
  watch: async () => (await import('./cases/watch.js')).watchCase,
  features: async () => (await import('./cases/features.js')).featuresCase,
  'features-read': async () => (await import('./cases/features.js')).featuresReadCase,
  'watch-wake': async () => (await import('./cases/watch-wake.js')).watchWakeCase,
  'watch-evm': async () => (await import('./cases/watch-evm.js')).watchEvmCase,
};

const { name, params } = JSON.parse(process.argv[2]) as { name: string; params: unknown };
const load = CASES[name];
if (!load) {
  console.error(`unknown case ${name}`);
  process.exit(2);
}
const figures = await (await load())(params as never);
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ ...figures, ...processFacts() })}\n`);
