import { ILLICIT_CATEGORIES, SERVICE_CATEGORIES } from '@cryptotrace/core';
import type { Db } from '../store/sqlite/open.js';

/** Label flags of a wallet (any of its addresses labelled so). */
export const ILLICIT = 1;
export const SERVICE = 2;
export const MIXER = 4;
export const EXCHANGE = 8;

/** Wallets as dense integers: a stored cluster, or an address in no cluster. */
export interface WalletIndex {
  /** Wallets, numbered 0..count-1 in the order of their first address id. */
  count: number;
  /** The wallet of each address id of the chain (-1: another chain's address). */
  walletOf: Int32Array;
  /** Label flags per wallet (ILLICIT | SERVICE | MIXER | EXCHANGE). */
  labels: Uint8Array;
}

/**
 * Number the chain's wallets from the store's clusters: one Int32 per address id, no strings held.
 * @example walletIndex(store.db, 'bitcoin').walletOf[addressId]
 */
export function walletIndex(db: Db, chain: string): WalletIndex {
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) FROM addresses').pluck().get() as number) ?? 0;
  const walletOf = new Int32Array(maxId + 1).fill(-1);
  const ofCluster = new Map<number, number>();
  let count = 0;
  const rows = db.prepare('SELECT a.id, m.cluster_id FROM addresses a LEFT JOIN cluster_members m ON m.address_id = a.id WHERE a.chain = ? ORDER BY a.id').raw();
  for (const [id, cluster] of rows.iterate(chain) as Iterable<[number, number | null]>) {
    if (cluster === null) walletOf[id] = count++;
    else {
      let w = ofCluster.get(cluster);
      if (w === undefined) ofCluster.set(cluster, (w = count++));
      walletOf[id] = w;
    }
  }
  const labels = new Uint8Array(count);
  const labelled = db.prepare('SELECT a.id, l.category FROM labels l JOIN addresses a ON a.chain = l.chain AND a.address = l.address WHERE l.chain = ?').raw();
  for (const [id, category] of labelled.iterate(chain) as Iterable<[number, string]>) {
    const w = walletOf[id];
    if (ILLICIT_CATEGORIES.includes(category)) labels[w] |= ILLICIT;
    if (SERVICE_CATEGORIES.includes(category)) labels[w] |= SERVICE;
    if (category === 'mixing_service') labels[w] |= MIXER;
    if (category === 'exchange') labels[w] |= EXCHANGE;
  }
  return { count, walletOf, labels };
}
