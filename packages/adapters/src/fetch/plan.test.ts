import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SqliteStore, fetchNeighbourhood, ingestFiles, openSqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, getChain } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';

// The planner offline (no source: the store is the only thing read), on real mainnet blocks 1-255: the first
// payment (block 170) and the peel chain that follows it (blocks 181, 182, 183, 187, 221, 248).
const BLOCKS = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const chain = getChain('bitcoin');
const TX170 = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
const TX181 = 'a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be';

describe.skipIf(!hasShared(BLOCKS))(needs(BLOCKS, 'fetchNeighbourhood offline'), () => {
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'ctrace-plan-')), 'case.db');
    const store = openSqliteStore(file, { create: true });
    await ingestFiles(store, [shared(BLOCKS)]);
    store.close();
  });

  const open = (): SqliteStore => openSqliteStore(file);
  const frontier = (s: SqliteStore, job: number) =>
    s.db.prepare('SELECT depth, key, state FROM fetch_frontier WHERE job_id = ? ORDER BY seq').all(job) as { depth: number; key: string; state: string }[];

  it('default: forward breadth-first from block 170 follows the spenders, hop by hop', async () => {
    const s = open();
    const r = await fetchNeighbourhood(s, null, { chain, target: { kind: 'tx', txid: TX170 }, hops: 5, direction: 'out' });
    expect(r).toMatchObject({ admitted: 7, missing: [], fetchedTransactions: 0, transactions: 0, budgetReached: false });
    const rows = frontier(s, r.job);
    expect(rows.map((x) => x.depth)).toEqual([0, 1, 2, 3, 3, 4, 4]);
    expect(rows[1].key).toBe(TX181);
    // Every hop is a spender of the hop before.
    for (const row of rows.slice(1)) {
      const tx = s.getTransaction('bitcoin', row.key) as UtxoTransaction;
      expect(rows.some((p) => p.depth === row.depth - 1 && tx.inputs.some((i) => i.prevTxid === p.key))).toBe(true);
    }
    s.close();
  });

  it('args: direction in from block 181 reaches block 170 and its coinbase parent', async () => {
    const s = open();
    const r = await fetchNeighbourhood(s, null, { chain, target: { kind: 'tx', txid: TX181 }, hops: 2, direction: 'in' });
    const rows = frontier(s, r.job);
    expect(rows.slice(0, 2).map((x) => x.key)).toEqual([TX181, TX170]);
    const t170 = s.getTransaction('bitcoin', TX170) as UtxoTransaction;
    expect(rows.filter((x) => x.depth === 2).map((x) => x.key)).toEqual(t170.inputs.map((i) => i.prevTxid));
    s.close();
  });

  it('behavior: the budget stops admission and says so', async () => {
    const s = open();
    const r = await fetchNeighbourhood(s, null, { chain, target: { kind: 'tx', txid: TX170 }, hops: 5, direction: 'both', maxTxs: 3 });
    expect(r.admitted).toBe(3);
    expect(r.budgetReached).toBe(true);
    expect(frontier(s, r.job)).toHaveLength(3);
    s.close();
  });

  it('behavior: stopped after one step, the same plan resumes to the frontier of an uninterrupted run', async () => {
    const plan = { chain, target: { kind: 'tx' as const, txid: TX170 }, hops: 5, direction: 'both' as const, maxTxs: 20 };
    const s = open();
    let steps = 0;
    const first = await fetchNeighbourhood(s, null, { ...plan, wave: 1, shouldStop: () => ++steps > 2 });
    expect(first.interrupted).toBe(true);
    expect(frontier(s, first.job).some((x) => x.state === 'pending')).toBe(true);
    const second = await fetchNeighbourhood(s, null, plan);
    expect(second).toMatchObject({ job: first.job, resumed: true, interrupted: false });
    const third = await fetchNeighbourhood(s, null, plan);
    expect(third).toMatchObject({ alreadyComplete: true });
    const resumedRows = frontier(s, first.job);
    s.close();

    const fresh = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-plan-')), 'b.db'), { create: true });
    await ingestFiles(fresh, [shared(BLOCKS)]);
    const straight = await fetchNeighbourhood(fresh, null, plan);
    expect(frontier(fresh, straight.job)).toEqual(resumedRows);
    fresh.close();
  });

  it('behavior: offline, what the store lacks is reported missing', async () => {
    const s = open();
    const r = await fetchNeighbourhood(s, null, { chain, target: { kind: 'tx', txid: 'ab'.repeat(32) } });
    expect(r.missing).toEqual([{ kind: 'tx', key: 'ab'.repeat(32) }]);
    const b = await fetchNeighbourhood(s, null, { chain, target: { kind: 'blocks', from: 250, to: 260 } });
    expect(b.missing.map((m) => m.key)).toEqual(['256', '257', '258', '259', '260']);
    s.close();
  });
});
