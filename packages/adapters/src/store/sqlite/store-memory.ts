import type { ClusterStore } from '@cryptotrace/core';

/**
 * What a store remembers between calls outside its own rows: the cluster stores made for it, by chain
 * (sqliteClusterStore). Kept here, below both store.ts and cluster-store.ts, so that `SqliteStore.forget()` can drop
 * it without either importing the other.
 */
export const clusterStoresOf = new WeakMap<object, Map<string, ClusterStore>>();
