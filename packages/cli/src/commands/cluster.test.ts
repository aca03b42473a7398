import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
// A test helper of the core's own tests, not part of its public API.
import { makeTx } from '../../../core/src/heuristics/cluster/test-tx.js';
import { ctrace, tempDir } from '../../../../test/support/cli.js';

const id = (n: number) => n.toString(16).padStart(64, '0');
const A = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const B = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const C = '1BxL84hv8AKvUVgHpewAJE9obAaMgRSmNX';
const D = '1dice97ECuByXAvqXpaYzSaQuPVvrtmz6';
const E = '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S';

let db: string;
beforeAll(() => {
  db = join(tempDir(), 'case.db');
  const store = openSqliteStore(db, { create: true });
  const txs = [
    makeTx({ txid: id(1), coinbase: true, outs: [[A, 50], [B, 50], [C, 50]], height: 1 }),
    makeTx({ txid: id(2), ins: [[A, 50], [B, 50]], spends: [`${id(1)}:0`, `${id(1)}:1`], outs: [[D, 99]], height: 2 }),
    makeTx({ txid: id(3), ins: [[B, 0], [D, 99]], spends: [`${id(1)}:9`, `${id(2)}:0`], outs: [[E, 98]], height: 3 }),
  ];
  store.write({ provenance: { source: 'file', locator: 'test', format: 'test', at: 'now' }, utxoTransactions: txs });
  store.db.prepare("INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES ('bitcoin', ?, 'exchange', 'Ex', 'test', 90, 'now')").run(D);
  store.close();
});

describe('ctrace cluster', () => {
  test('default: builds clusters on first use and lists size, addresses, labels and rules', () => {
    const r = ctrace(['--db', db, 'cluster', A]);
    expect(r.stderr).toBe('clustered 3 bitcoin transactions with the default rules (multi-input, pubkey-reuse, deposit-address, airdrop-multi, self-approval); "ctrace cluster rebuild --rules ..." to choose\n');
    expect(r.code).toBe(0);
    expect(ctrace(['--db', db, 'cluster', A]).stderr).toBe('');
    expect(r.stdout).toContain(`cluster of ${A} (bitcoin): 3 addresses`);
    expect(r.stdout).toContain('built by: multi-input v1 (2 unions)');
    expect(r.stdout).toMatch(new RegExp(`${D}\\s+exchange\\s+Ex\\s+test\\s+90`));
  });
  test('default: --json is stable', () => {
    const one = ctrace(['--db', db, '--json', 'cluster', B]);
    const j = JSON.parse(one.stdout);
    expect(j).toMatchObject({ chain: 'bitcoin', size: 3, addresses: [A, B, D], rules: [{ rule: 'multi-input', version: 1, links: 2 }], truncated: false });
    expect(ctrace(['--db', db, '--json', 'cluster', B]).stdout).toBe(one.stdout);
  });
  test('default: why gives the shortest chain of evidence', () => {
    const r = ctrace(['--db', db, '--json', 'cluster', 'why', A, D]);
    expect(JSON.parse(r.stdout)).toEqual({
      linked: true,
      evidence: [
        { rule: 'multi-input', version: 1, txid: id(2), confidence: 1, from: A, to: B },
        { rule: 'multi-input', version: 1, txid: id(3), confidence: 1, from: B, to: D },
      ],
    });
    expect(ctrace(['--db', db, 'cluster', 'why', A, D]).stdout).toContain('linked in 2 steps');
  });
  test('behavior: not linked', () => {
    const r = ctrace(['--db', db, '--json', 'cluster', 'why', A, C]);
    expect(JSON.parse(r.stdout)).toEqual({ linked: false, evidence: [], guarded: [] });
    expect(ctrace(['--db', db, 'cluster', 'why', A, C]).stdout).toBe(`${A} and ${C} are not linked (clusters of 3 and 1 addresses)\n`);
  });
  test('args: rebuild with a rule set; the collapse guard refuses conflicting owners and lists it', () => {
    const store = openSqliteStore(db);
    store.db.prepare("INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES ('bitcoin', ?, 'exchange', 'Other', 'test', 95, 'now')").run(A);
    store.close();
    const r = ctrace(['--db', db, 'cluster', 'rebuild', '--rules', 'multi-input']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bitcoin\s+3\s+multi-input 1\s+0\s+0\s+1/);
    const g = JSON.parse(ctrace(['--db', db, '--json', 'cluster', 'guards']).stdout);
    expect(g.events).toEqual([{ chain: 'bitcoin', kind: 'refused-labels', txid: id(3), rule: 'multi-input', a: B, b: D, detail: { sizeA: 2, sizeB: 1, ownerA: 'Other', ownerB: 'Ex', confidence: 1 } }]);
    expect(ctrace(['--db', db, 'cluster', 'rebuild', '--no-label-guard']).stdout).toMatch(/bitcoin\s+3\s+multi-input 2\s+0\s+0/);
  });
  test('behavior: a rebuild cut short (Ctrl-C) is finished by the next cluster command, with its rules', () => {
    ctrace(['--db', db, 'cluster', 'rebuild', '--rules', 'multi-input', '--no-label-guard']);
    const store = openSqliteStore(db);
    // What an interrupted rebuild leaves committed: its run marked under way, no membership yet.
    store.db.exec("INSERT INTO cluster_rebuilds (chain) VALUES ('bitcoin'); DELETE FROM cluster_members");
    store.close();
    const r = ctrace(['--db', db, 'cluster', A]);
    expect(r.stderr).toBe('finished an interrupted rebuild: clustered 3 bitcoin transactions again with its rules (multi-input)\n');
    expect(r.stdout).toContain(`cluster of ${A} (bitcoin): 3 addresses`);
    expect(ctrace(['--db', db, 'cluster', A]).stderr).toBe('');
  });
  test('error: an unknown rule and an unknown address', () => {
    const r = ctrace(['--db', db, 'cluster', 'rebuild', '--rules', 'multi-input,bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ctrace: unknown rule "bogus" in --rules: use multi-input, change/);
    const n = ctrace(['--db', db, 'cluster', '1111111111111111111114oLvT2']);
    expect(n.code).toBe(1);
    expect(n.stderr).toMatch(/^ctrace: address 1111111111111111111114oLvT2 has no transactions in .* \(bitcoin\): ingest or fetch them first\n$/);
  });
});
