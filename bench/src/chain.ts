import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './deps.js';
import { writeSynthBlk } from './synth-chain.js';

/** Where generated chains are kept between runs (they are deterministic, so a cached file is the same file). */
export const CACHE_DIR = join(ROOT, 'bench/.cache');

export function chainPath(transactions: number): string {
  return join(CACHE_DIR, `synth-v1-${transactions}.blk`);
}

/** Generate the blk file of `transactions` transactions unless it is cached. */
export async function prepareChain(params: { transactions: number }): Promise<Record<string, unknown>> {
  const path = chainPath(params.transactions);
  mkdirSync(CACHE_DIR, { recursive: true });
  let made = { cached: true };
  if (!existsSync(path)) {
    const tmp = `${path}.tmp`;
    made = { cached: false, ...writeSynthBlk(tmp, { transactions: params.transactions }) };
    renameSync(tmp, path);
  }
  return { path, mb: statSync(path).size / 1e6, generator: 'bench synth-v1', ...made };
}
