import { type CaseNeighbourhood, neighbourhoodOf } from '@cryptotrace/core';
import type { Db } from './open.js';
import { neighbourhoodReads } from './taint-stream-facts.js';

/**
 * The neighbourhood of a case's holders in the SQLite store: the core's walk ({@link neighbourhoodOf}) over this store's
 * reads ({@link neighbourhoodReads}).
 * @example detectPeelChains(caseNeighbourhood(store.db, 'bitcoin', reached, 2).peel)
 */
export function caseNeighbourhood(db: Db, chain: string, holders: Iterable<string>, maxBlocks: number): CaseNeighbourhood {
  return neighbourhoodOf(neighbourhoodReads(db, chain), holders, maxBlocks);
}
