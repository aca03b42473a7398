import { ILLICIT_CATEGORIES, SERVICE_CATEGORIES } from '@cryptotrace/core';
import type { Db } from '../store/sqlite/open.js';

/** Which wallet an address belongs to, and which wallets the labels mark. */
export interface AccountWalletIndex {
  /** `#<cluster id>` for an address of a stored cluster, else the address itself. */
  walletOf(address: string): string;
  illicit: Set<string>;
  service: Set<string>;
  exchange: Set<string>;
}

/**
 * The stored clusters of a chain as wallets, and the wallets holding an illicit, a service or an exchange label.
 * @example accountWalletIndex(store.db, 'ethereum').walletOf('0x...')
 */
export function accountWalletIndex(db: Db, chain: string): AccountWalletIndex {
  const clusterOf = new Map<string, number>();
  for (const [address, cluster] of db.prepare('SELECT a.address, m.cluster_id FROM cluster_members m JOIN addresses a ON a.id = m.address_id WHERE a.chain = ?').raw().iterate(chain) as Iterable<[string, number]>) clusterOf.set(address, cluster);
  const walletOf = (h: string) => {
    const c = clusterOf.get(h);
    return c === undefined ? h : `#${c}`;
  };
  const index: AccountWalletIndex = { walletOf, illicit: new Set(), service: new Set(), exchange: new Set() };
  for (const [address, category] of db.prepare('SELECT address, category FROM labels WHERE chain = ?').raw().iterate(chain) as Iterable<[string, string]>) {
    if (ILLICIT_CATEGORIES.includes(category)) index.illicit.add(walletOf(address));
    if (SERVICE_CATEGORIES.includes(category)) index.service.add(walletOf(address));
    if (category === 'exchange') index.exchange.add(walletOf(address));
  }
  return index;
}

/**
 * Hops from the illicit-labelled wallets along payments: breadth first over each wallet's payees, `depth` deep.
 * @returns wallet -> fewest payments from an illicit-labelled wallet (0 for those wallets themselves)
 */
export function hopsFromIllicit(illicit: ReadonlySet<string>, payeesOf: (w: string) => ReadonlySet<string> | undefined, depth = 6): Map<string, number> {
  const hops = new Map<string, number>();
  let frontier = [...illicit].filter((w) => payeesOf(w) !== undefined).sort();
  for (const w of frontier) hops.set(w, 0);
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (const p of [...payeesOf(w)!].sort()) {
        if (hops.has(p)) continue;
        hops.set(p, d);
        if (payeesOf(p) !== undefined) next.push(p);
      }
    }
    frontier = next;
  }
  return hops;
}
