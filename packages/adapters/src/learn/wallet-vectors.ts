import { getChain } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { accountWalletFeatures } from './account-wallet-features.js';
import { walletFeatureTable } from './wallet-features.js';

/**
 * The active wallets of a chain, numbered 0 to count - 1, with their feature vectors read one at a time and their
 * addresses read only for the wallets asked: what ranking a whole store by a model needs. On a UTXO chain no address
 * string is held (walletFeatureTable: typed arrays by wallet), so that scoring 10^6 transactions' wallets holds
 * their features' arrays, not a row of strings and numbers per wallet; an account chain's rows are read whole
 * (accountWalletFeatures).
 */
export interface WalletVectors {
  count: number;
  /** Wallet i's feature vector (the chain kind's feature set). */
  vector(i: number): number[];
  /**
   * The sorted addresses of each wallet asked (the first names the wallet), by wallet: one pass over the chain's
   * addresses.
   */
  addressesOf(wallets: Iterable<number>): Map<number, string[]>;
  /** The wallet of each address asked that belongs to one. */
  walletsOf(addresses: Iterable<string>): Map<string, number>;
}

/** @example walletVectors(store, 'bitcoin').vector(0).length === WALLET_FEATURES.length */
export function walletVectors(store: SqliteStore, chain: string): WalletVectors {
  if (getChain(chain).kind === 'account') {
    const rows = accountWalletFeatures(store, chain);
    const byAddress = new Map<string, number>();
    rows.forEach((r, i) => {
      for (const a of r.addresses) byAddress.set(a, i);
    });
    return {
      count: rows.length,
      vector: (i) => rows[i].features,
      addressesOf: (wallets) => new Map([...wallets].map((i) => [i, rows[i].addresses])),
      walletsOf(addresses) {
        const out = new Map<string, number>();
        for (const a of addresses) {
          const i = byAddress.get(a);
          if (i !== undefined) out.set(a, i);
        }
        return out;
      },
    };
  }
  const table = walletFeatureTable(store, chain);
  // Active wallets in the table's numbering, and back.
  const ids: number[] = [];
  const place = new Int32Array(table.count).fill(-1);
  for (let w = 0; w < table.count; w++) {
    if (!table.active(w)) continue;
    place[w] = ids.length;
    ids.push(w);
  }
  const numbered = (addressId: number) => {
    const w = addressId < table.walletOf.length ? table.walletOf[addressId] : -1;
    return w >= 0 ? place[w] : -1;
  };
  const db = store.db;
  return {
    count: ids.length,
    vector: (i) => table.vector(ids[i]),
    addressesOf(wallets) {
      const out = new Map<number, string[]>();
      for (const i of wallets) out.set(i, []);
      if (out.size === 0) return out;
      for (const [id, address] of db.prepare('SELECT id, address FROM addresses WHERE chain = ? ORDER BY address').raw().iterate(chain) as Iterable<[number, string]>) {
        out.get(numbered(id))?.push(address);
      }
      return out;
    },
    walletsOf(addresses) {
      const out = new Map<string, number>();
      const idOf = db.prepare('SELECT id FROM addresses WHERE address = ? AND chain = ?').pluck();
      for (const a of addresses) {
        const id = idOf.get(a, chain) as number | undefined;
        const i = id === undefined ? -1 : numbered(id);
        if (i >= 0) out.set(a, i);
      }
      return out;
    },
  };
}
