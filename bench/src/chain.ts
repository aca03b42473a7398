import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './deps.js';

/** Where generated chains and stores are kept between runs (deterministic, so a cached file is the same file). */
export const CACHE_DIR = process.env.BENCH_CACHE ?? join(ROOT, 'bench/.cache');
const SCENARIO = 'darknet-market';
const SEED = 8;

/** A prepared chain: its blk files, and a darknet-market address to trace from when the generator made it. */
export interface PreparedChain {
  dir: string;
  blks: string[];
  generator: string;
  mb: number;
  seedAddress: string | null;
}

type Fixtures = typeof import('../../fixtures/dist/index.js');

async function fixtures(): Promise<Fixtures | null> {
  try {
    const f = (await import('../../fixtures/dist/index.js' as string)) as Fixtures;
    return typeof f.generateScenario === 'function' ? f : null;
  } catch {
    return null;
  }
}

/** The directory of the chain of `transactions` transactions, by the generator available. */
async function chainDir(transactions: number): Promise<{ dir: string; generator: string; f: Fixtures }> {
  const f = await fixtures();
  if (!f) throw new Error('bench: the scenario generator (fixtures/dist) is not built: run `pnpm build` first');
  return { dir: join(CACHE_DIR, `${SCENARIO}-g${f.GENERATOR_VERSION}-s${SEED}-${transactions}`), generator: `@cryptotrace/fixtures ${SCENARIO} v${f.GENERATOR_VERSION} seed ${SEED}`, f };
}

/** The first address of the market's hot wallet, from the generator's truth. */
async function marketSeed(dir: string): Promise<string | null> {
  const truth = join(dir, 'truth/addresses.ndjson');
  if (!existsSync(truth)) return null;
  const lines = createInterface({ input: createReadStream(truth) });
  for await (const line of lines) {
    const a = JSON.parse(line) as { address: string; role: string; entity: string };
    if (a.role === 'market-hot') {
      lines.close();
      return a.address;
    }
  }
  return null;
}

/** Generate the chain of `transactions` transactions unless it is cached; each blk file in order. */
export async function prepareChain(params: { transactions: number }): Promise<PreparedChain & Record<string, unknown>> {
  const { dir, generator, f } = await chainDir(params.transactions);
  let cached = true;
  if (!existsSync(join(dir, 'done'))) {
    cached = false;
    rmSync(dir, { recursive: true, force: true });
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    f.generateScenario(SCENARIO, { txs: params.transactions, seed: SEED, out: tmp, chain: 'bitcoin', model: false });
    renameSync(tmp, dir);
    mkdirSync(join(dir, 'done'));
  }
  const blks = readdirSync(dir).filter((n) => /^blk\d+\.dat$/.test(n)).sort().map((n) => join(dir, n));
  const mb = blks.reduce((s, p) => s + statSync(p).size, 0) / 1e6;
  return { dir, blks, generator, mb, seedAddress: await marketSeed(dir), cached };
}

/** Where the store ingested from a chain is kept for the cases that read it (cluster, taint, trace). */
export function storePath(chainDirPath: string): string {
  return `${chainDirPath}.db`;
}
