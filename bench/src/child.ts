import { ceilingCase } from './cases/ceiling.js';
import { fetchCase } from './cases/fetch.js';
import { ingestCase } from './cases/ingest.js';
import { parseCase } from './cases/parse.js';
import { prepareChain } from './chain.js';
import { processFacts } from './measure.js';

/** Each case runs alone in its own process, so that its peak memory is its own. */
const CASES: Record<string, (params: never) => Promise<Record<string, unknown>>> = {
  prepare: prepareChain,
  ingest: ingestCase,
  ceiling: ceilingCase,
  parse: parseCase,
  fetch: fetchCase,
};

const { name, params } = JSON.parse(process.argv[2]) as { name: string; params: unknown };
const run = CASES[name];
if (!run) {
  console.error(`unknown case ${name}`);
  process.exit(2);
}
const figures = await run(params as never);
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ ...figures, ...processFacts() })}\n`);
