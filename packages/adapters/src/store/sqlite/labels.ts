import type { Label, StoredLabel } from '@cryptotrace/core';
import { type Db, writeImmediately } from './open.js';


export interface WriteLabelsResult {
  imported: number;
  /** Labels the store held already (same chain, address, category, source, actor): kept as they were. */
  duplicates: number;
}

/**
 * Write labels in one transaction: all or nothing. A label equal in chain, address, category, source and actor to a
 * stored one is left as it was (never overwritten); any other label, conflicting or not, is kept beside the others.
 * @param db the store's database
 * @param labels the labels
 * @param importedAt ISO time recorded with each new label
 * @example writeLabels(store.db, parsed.labels, new Date().toISOString())
 */
export function writeLabels(db: Db, labels: readonly Label[], importedAt: string): WriteLabelsResult {
  const insert = db.prepare(`INSERT INTO labels (chain, address, category, actor, source, confidence, valid_from, imported_at)
    VALUES (@chain, @address, @category, @actor, @source, @confidence, @validFrom, @importedAt) ON CONFLICT DO NOTHING`);
  const name = db.prepare('INSERT INTO label_names (label_id, name) VALUES (?, ?)');
  const result: WriteLabelsResult = { imported: 0, duplicates: 0 };
  const write = db.transaction(() => {
    for (const l of labels) {
      const r = insert.run({ chain: l.chain, address: l.address, category: l.category, actor: l.actor, source: l.source, confidence: l.confidence, validFrom: l.validFrom, importedAt });
      if (r.changes === 0) {
        result.duplicates++;
        continue;
      }
      result.imported++;
      if (l.name) name.run(r.lastInsertRowid, l.name);
    }
  });
  writeImmediately(db, () => write.immediate());
  return result;
}

export interface QueryLabelsOptions {
  chain?: string;
  address?: string;
  category?: string;
  source?: string;
  limit?: number;
}

/**
 * Stored labels, filtered, in a stable order (chain, address, category, source, actor).
 * @example queryLabels(store.db, { address: '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3' })
 */
export function queryLabels(db: Db, o: QueryLabelsOptions = {}): StoredLabel[] {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  for (const k of ['chain', 'address', 'category', 'source'] as const) {
    if (o[k] === undefined) continue;
    where.push(`l.${k} = @${k}`);
    args[k] = o[k];
  }
  const sql = `SELECT l.chain, l.address, l.category, l.actor, l.source, l.confidence, l.valid_from AS validFrom, l.imported_at AS importedAt,
    n.name FROM labels l LEFT JOIN label_names n ON n.label_id = l.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.chain, l.address, l.category, l.source, l.actor${o.limit ? ` LIMIT ${Math.floor(o.limit)}` : ''}`;
  return db.prepare(sql).all(args) as StoredLabel[];
}

/** Label counts by source and category, for `labels list` summaries. */
export function labelCounts(db: Db): { source: string; category: string; count: number }[] {
  return db.prepare('SELECT source, category, count(*) AS count FROM labels GROUP BY source, category ORDER BY source, category').all() as { source: string; category: string; count: number }[];
}
