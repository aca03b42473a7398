import type { SqliteStore } from '@cryptotrace/adapters';

/** Every row of every table, in key order: two stores with equal dumps hold the same data. */
export function dump(store: SqliteStore): string {
  const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return tables
    .map((t) => `${t}\n${JSON.stringify(store.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).safeIntegers(true).raw().all(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`)
    .join('\n');
}
