import type { AssetInfo } from './case-report.js';
import { queryLabels } from '../store/sqlite/labels.js';
import type { SqliteStore } from '../store/sqlite/store.js';

/**
 * Label and token lookups for exports, read from a SQLite case store. Labels come out as short texts
 * (`market: Hydra (graphsense:hydra.yaml)`), conflicting ones side by side; all of it is untrusted text.
 * @param store an open SQLite case store
 * @returns `labelsOf` and `tokenInfo` for {@link flowGraph}
 */
export function storeLookups(store: SqliteStore) {
  const tokens = store.db.prepare('SELECT name, symbol, decimals FROM tokens WHERE chain = ? AND address = ?');
  return {
    labelsOf(chain: string, address: string): string[] {
      return queryLabels(store.db, { chain, address }).map((r) => `${r.category}${r.name || r.actor ? `: ${r.name || r.actor}` : ''} (${r.source})`);
    },
    tokenInfo(chain: string, token: string): AssetInfo | null {
      return (tokens.get(chain, token) as AssetInfo | undefined) ?? null;
    },
  };
}
