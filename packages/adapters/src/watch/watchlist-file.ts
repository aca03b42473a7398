import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { type Chain, CtraceError, type WatchEntry, parseWatchlist } from '@cryptotrace/core';

let yaml: typeof Yaml | undefined;

/**
 * Read a watchlist file, YAML or JSON (JSON is YAML), and check it.
 * @throws CtraceError INPUT_UNREADABLE when the file cannot be read, USAGE when it is not a watchlist
 * @example readWatchlist('watch.yaml', getChain('litecoin'))
 */
export function readWatchlist(path: string, chain: Chain): WatchEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CtraceError('INPUT_UNREADABLE', `cannot read the watchlist ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give a YAML or JSON file`);
  }
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  let doc: unknown;
  try {
    // maxAliasCount keeps a hostile file's alias expansion bounded.
    doc = yaml.parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new CtraceError('USAGE', `watchlist ${path}: not YAML or JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return parseWatchlist(doc, chain, path);
}
