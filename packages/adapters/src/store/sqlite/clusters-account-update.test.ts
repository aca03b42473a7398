import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AccountTransaction, type ClusterRuleSet, parseRuleSet } from '@cryptotrace/core';
import { rebuildClusters, updateClusters } from './clusters-run.js';
import { openSqliteStore, type SqliteStore } from './store.js';

const provenance = { source: 'file', locator: 'test', format: 'test', at: '2026-01-01T00:00:00Z' };

let dir: string;
const stores: SqliteStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-account-update-'));
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string, labels: readonly [string, string, string][]): SqliteStore {
  const store = openSqliteStore(join(dir, `${name}.db`), { create: true });
  stores.push(store);
  const put = store.db.prepare("INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES ('ethereum', ?, ?, ?, 'test', 90, 'now')");
  for (const [address, category, actor] of labels) put.run(address, category, actor);
  return store;
}

/** The chain's links, guard events and members, by address text, in the order written, and their sha256. */
function clusterDigest(store: SqliteStore) {
  const q = (sql: string) => store.db.prepare(sql).raw().all() as unknown[][];
  const links = q(`SELECT l.rule, l.version, l.txid, l.log_index, l.block_height, l.confidence, l.params, a.address, b.address FROM cluster_links l
    JOIN addresses a ON a.id = l.a_id JOIN addresses b ON b.id = l.b_id ORDER BY l.id`);
  const events = q(`SELECT e.kind, e.txid, e.rule, a.address, b.address, e.detail FROM cluster_events e
    LEFT JOIN addresses a ON a.id = e.a_id LEFT JOIN addresses b ON b.id = e.b_id ORDER BY e.id`);
  const members = q('SELECT a.address, r.address FROM cluster_members m JOIN addresses a ON a.id = m.address_id JOIN addresses r ON r.id = m.cluster_id ORDER BY a.address');
  const sha = (rows: unknown[][]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  return { links: links.length, events: events.length, members: members.length, sha: { links: sha(links), events: sha(events), members: sha(members) } };
}

/** One store rebuilt over the whole world; another rebuilt over its first blocks, then updated block by block. */
function rebuildVersusBlocks(txs: AccountTransaction[], set: ClusterRuleSet, labels: readonly [string, string, string][], headBlocks: number) {
  const whole = open('whole', labels);
  whole.write({ provenance, accountTransactions: txs });
  rebuildClusters(whole, 'ethereum', set, { at: 't' });
  const heights = [...new Set(txs.map((t) => t.blockNumber))].sort((a, b) => a - b);
  const followed = open('followed', labels);
  followed.write({ provenance, accountTransactions: txs.filter((t) => t.blockNumber <= heights[headBlocks - 1]) });
  rebuildClusters(followed, 'ethereum', set, { at: 't' });
  const read: number[] = [];
  for (const h of heights.slice(headBlocks)) {
    const block = txs.filter((t) => t.blockNumber === h);
    followed.write({ provenance, accountTransactions: block });
    const [s] = updateClusters(followed, { chain: 'ethereum', at: 't' });
    expect(s.mode).toBe('update');
    read.push(s.transactions - block.length);
  }
  return { whole: clusterDigest(whole), followed: clusterDigest(followed), read };
}

describe('account clusters updated block by block', () => {
  test('behavior: the same links, guard events and members as a rebuild (named stablecoin world, exchange and owner labels)', async () => {
    const { loadTruth, namedScenarioDir, readAccountTransactions } = await import('@cryptotrace/fixtures');
    const scenario = namedScenarioDir('stablecoin-aggregator');
    const truth = loadTruth(scenario);
    const txs = [...readAccountTransactions(scenario)];
    const role = (r: string) => truth.addresses.filter((a) => a.role === r).map((a) => a.address);
    // A depositor under another owner's label: the label guard refuses the link that would join it to the exchange.
    const labels: [string, string, string][] = [[role('hot')[0], 'exchange', 'exchange-x'], [role('deposit')[1], 'merchant', 'shop-y']];
    const set = parseRuleSet(undefined);
    set.evm = { ...set.evm!, airdropMinRecipients: 3 };
    const r = rebuildVersusBlocks(txs, set, labels, 3);
    expect(r.followed).toEqual(r.whole);
    expect(r.whole.links).toBeGreaterThan(20);
    expect(r.whole.events).toBeGreaterThan(0);
    // Each update read only its block: no transaction of the chain read again.
    expect(r.read.every((n) => n === 0)).toBe(true);
  });

  test('behavior: the same as a rebuild on a generated world of 2,000 transactions (airdrop recipients from 5)', async () => {
    const { evmScenario } = await import('@cryptotrace/fixtures');
    const txs = [...evmScenario('stablecoin-aggregator', { txs: 2000, seed: 3 })].flatMap((b) => b.transactions as AccountTransaction[]);
    const set = parseRuleSet(undefined);
    set.evm = { ...set.evm!, airdropMinRecipients: 5 };
    const r = rebuildVersusBlocks(txs, set, [], 5);
    expect(r.followed).toEqual(r.whole);
    expect(r.whole.links).toBeGreaterThan(0);
    expect(r.read.every((n) => n === 0)).toBe(true);
  });
});
