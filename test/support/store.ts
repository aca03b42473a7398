import type { SqliteStore } from '@cryptotrace/adapters';

/** Every row of every table, ordered by all its columns: two stores with equal dumps hold the same data. */
export function dump(store: SqliteStore): string {
  const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return tables
    .map((t) => {
      const columns = store.db.prepare(`SELECT count(*) FROM pragma_table_info('${t}')`).pluck().get() as number;
      const order = Array.from({ length: columns }, (_, k) => k + 1).join(', ');
      const rows = store.db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).safeIntegers(true).raw().all();
      return `${t}\n${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
    })
    .join('\n');
}
