import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT } from './deps.js';

type Adapters = typeof import('../../packages/adapters/dist/index.js');
type Open = typeof import('../../packages/adapters/dist/store/sqlite/open.js');

/**
 * The adapters build the ingest and parse cases measure: this tree's, or another commit's built by `--before`
 * (BENCH_ADAPTERS_DIST), so that before and after run through the same harness on the same input.
 */
export function adaptersDist(): string {
  return process.env.BENCH_ADAPTERS_DIST ?? join(ROOT, 'packages/adapters/dist');
}

export async function adapters(): Promise<Adapters> {
  return (await import(pathToFileURL(join(adaptersDist(), 'index.js')).href)) as Adapters;
}

export async function openDbOf(): Promise<Open['openDb']> {
  return ((await import(pathToFileURL(join(adaptersDist(), 'store/sqlite/open.js')).href)) as Open).openDb;
}
