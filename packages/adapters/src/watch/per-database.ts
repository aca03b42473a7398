import type { Db } from '../store/sqlite/open.js';

/**
 * Prepare once per database: `prepare` runs the first time a database is asked for, and its result is kept for as
 * long as the database object lives (the watch's rules run on every block with the same statements).
 * @example const statements = perDatabase((db) => ({ one: db.prepare('SELECT 1') })); statements(store.db).one.get()
 */
export function perDatabase<T>(prepare: (db: Db) => T): (db: Db) => T {
  const kept = new WeakMap<Db, T>();
  return (db) => {
    let v = kept.get(db);
    if (v === undefined) kept.set(db, (v = prepare(db)));
    return v;
  };
}
