import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';

/**
 * Rows of one table that a writer has made and not yet inserted, as one flat list of values: inserted by statements
 * of many rows each (INSERT ... VALUES (...), (...), ...), since a statement's run costs about as much as the rows it
 * binds. The writer inserts them before it reads or updates the table, and at the end of its transaction.
 */
export interface PendingRows {
  values: unknown[];
  columns: number;
  one: Statement;
  many: Statement;
}

/** Rows a statement inserts: 64 rows of 12 columns bind 768 values, well below SQLite's limit of 32,766. */
export const ROWS_PER_STATEMENT = 64;

export function pendingRows(db: Db, table: string, columns: readonly string[]): PendingRows {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const insert = (n: number) => db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`);
  return { values: [], columns: columns.length, one: insert(1), many: insert(ROWS_PER_STATEMENT) };
}

/** Insert the pending rows, in order. */
export function insertPending(p: PendingRows): void {
  const { values, columns } = p;
  if (values.length === 0) return;
  const chunk = ROWS_PER_STATEMENT * columns;
  let k = 0;
  for (; k + chunk <= values.length; k += chunk) p.many.run(values.slice(k, k + chunk));
  for (; k < values.length; k += columns) p.one.run(values.slice(k, k + columns));
  values.length = 0;
}

/**
 * Where the pending row of `id` starts in `values`, or -1: for a table whose first column is its id, given out in
 * order by the writer (so the pending rows' ids are consecutive).
 */
export function pendingAt(p: PendingRows, id: number): number {
  if (p.values.length === 0) return -1;
  const at = (id - (p.values[0] as number)) * p.columns;
  return at >= 0 && at < p.values.length ? at : -1;
}
