import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { loadTruth, namedScenarioDir, readAccountTransactions } from '@cryptotrace/fixtures';
import { ctrace, tempDir } from '../../../../test/support/cli.js';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';

// Runs the built binary: `pnpm build` (or tsc -b) first.
const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const CB9 = '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9';
const T248 = '828ef3b079f9c23829c56fe86e85b4a69d9e06e5b54ea597eef5fb3ffef509fe';
const AS_OF = ['--as-of', '2026-01-01T00:00:00Z'];

describe.skipIf(!hasShared(PEEL))(needs(PEEL, 'ctrace trace, suspects and labels on the block-9 peel chain'), () => {
  let db: string;
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    db = join(dir, 'case.db');
    expect(ctrace(['--db', db, 'ingest', shared(PEEL)]).code).toBe(0);
    writeFileSync(join(dir, 'labels.csv'), 'chain,address,category,source,confidence,name\nbitcoin,1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3,exchange,test,90,"Hal \u001b[31mFinney"\n');
  });
  const run = (...args: string[]) => ctrace(['--db', db, ...args]);

  test('default: trace out of the coinbase output under haircut: every hop with its amount, as JSON, byte-identical twice', () => {
    const a = run('--json', 'trace', `${CB9}:0`, '--policy', 'haircut', ...AS_OF);
    expect(a.code).toBe(0);
    const json = JSON.parse(a.stdout);
    expect(json.flow.map((f: { txid: string; vout: number; taint: string; hop: number }) => `${f.txid.slice(0, 4)}:${f.vout}=${f.taint}@${f.hop}`)).toEqual([
      '0437:0=5000000000@0', 'f418:0=1000000000@1', 'f418:1=4000000000@1', 'a16f:0=1000000000@2', 'a16f:1=3000000000@2', '591e:0=100000000@3', '591e:1=2900000000@3',
      '12b5:0=100000000@4', '12b5:1=2800000000@4', '4385:0=100000000@5', '298c:0=100000000@4', '828e:0=1000000000@5', '828e:1=1800000000@5',
    ]);
    expect(run('--json', 'trace', `${CB9}:0`, '--policy', 'haircut', ...AS_OF).stdout).toBe(a.stdout);
  });

  test('behavior: the text tree shows hops, amounts and where the walk stopped', () => {
    const r = run('trace', CB9, '--hops', '2', ...AS_OF);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fifo out of p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S: 5 outputs, 3 addresses reached');
    expect(r.stdout).toMatch(/2 +└ a16f3ce4…1e14be:1 +p2pk:12c…tpTu3S +30 BTC +100\.00% +hops$/m);
  });

  test('args: --direction in walks back to the coinbase that minted the coins', () => {
    const r = run('--json', 'trace', `${T248}:0`, '--direction', 'in');
    const flow = JSON.parse(r.stdout).flow as { txid: string; vout: number; hop: number }[];
    expect(flow.at(-1)).toMatchObject({ txid: CB9, vout: -1, hop: 6 });
  });

  test('behavior: a labelled exchange stops the walk and is listed as a service, not a suspect; its name is data', () => {
    expect(run('labels', 'import', join(dir, 'labels.csv'), '--at', '2026-01-01T00:00:00Z').code).toBe(0);
    const show = run('labels', 'show', '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3');
    expect(show.stdout).toContain('Hal Finney');
    expect(show.stdout).not.toContain('\u001b');
    const t = JSON.parse(run('--json', 'trace', CB9, ...AS_OF).stdout);
    expect(t.flow.find((f: { holder: string }) => f.holder === 'p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3')).toMatchObject({ stopped: 'label', labels: ['exchange@test'] });
    expect(t.services).toEqual([{ wallet: 'p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', labels: ['exchange'], tainted: '1000000000' }]);
    expect(t.suspects.map((s: { wallet: string }) => s.wallet)).not.toContain('p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3');
  });

  test('default: suspects --export csv is a block list with score, evidence and the analysis time', () => {
    const r = run('suspects', '--source', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', '--export', 'csv', '--limit', '2', ...AS_OF);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')).toEqual([
      'rank,chain,wallet,addresses,score_percent,tainted,received,direct,indirect,min_hop,policy,source_labels,labels,typologies,evidence_txids,analysed_at',
      `1,bitcoin,p2pk:1ByLSV2gLRcuqUmfdYcpPQH8Npm8cccsFg,p2pk:1ByLSV2gLRcuqUmfdYcpPQH8Npm8cccsFg,100.00,1000000000,1000000000,1000000000,0,1,haircut,,,,${T248},2026-01-01T00:00:00Z`,
      '2,bitcoin,p2pk:1DUDsfc23Dv9sPMEk5RsrtfzCw5ofi5sVW,p2pk:1DUDsfc23Dv9sPMEk5RsrtfzCw5ofi5sVW,100.00,1000000000,1000000000,1000000000,0,1,haircut,,,peel-chain,a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be,2026-01-01T00:00:00Z',
      '',
    ]);
    const json = JSON.parse(run('suspects', '--source', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', '--export', 'json', ...AS_OF).stdout);
    expect(json.analysedAt).toBe('2026-01-01T00:00:00Z');
    expect(json.blockList[0].parts).toMatchObject({ policy: 'haircut', tainted: '1000000000', direct: '1000000000', minHop: 1, typologies: [] });
    // 1DUDsf was paid off by block 181, the first of the quick peel chain 181-182-183 (one block apart each).
    expect(json.blockList[1].parts.typologies).toEqual(['peel-chain']);
    expect(json.blockList[1].evidence.typologies[0]).toMatchObject({ typology: 'peel-chain', holder: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', txids: [
      'a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be', '591e91f809d716912ca1d4a9295e70c3e78bab077683f79350f101da64588073', '12b5633bad1f9c167d523ad1aa1947b2732a865bf5414eab2f9e5ae5d5c191ba',
    ] });
  });

  test('behavior: --compare-policies lines up the ranks; typology:peel-chain is usable as a source', () => {
    const r = run('--json', 'suspects', '--source', 'typology:peel-chain', '--compare-policies', ...AS_OF);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json.comparison[0].byPolicy)).toEqual(['fifo', 'lifo', 'haircut', 'tiho', 'poison']);
    expect(json.sources.addresses).toBe(1);
  });

  test('error: bad flags and malformed label files give one line and a usage exit code; nothing is imported', () => {
    for (const args of [['trace', CB9, '--policy', 'fofi'], ['trace', CB9, '--hops', 'x'], ['suspects', '--source', 'typology:nope'], ['trace', `${CB9}:0`, '--direction', 'in', '--policy', 'tiho']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(args.includes('fofi') ? 2 : 1);
    }
    writeFileSync(join(dir, 'bad.csv'), 'chain,address,category,source,confidence\nbitcoin,1A,market,me,high\n');
    const before = JSON.parse(run('--json', 'stats').stdout).labels;
    const r = run('labels', 'import', join(dir, 'labels.csv'), join(dir, 'bad.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ctrace: ${join(dir, 'bad.csv')}: line 2: confidence "high" is not an integer from 0 to 100; nothing from this file was imported: fix the file or give --format\n`);
    expect(JSON.parse(run('--json', 'stats').stdout).labels).toBe(before);
  });
});

describe('ctrace suspects and trace on an account chain (the stablecoin-aggregator fixture world)', () => {
  let db: string;
  const dir = namedScenarioDir('stablecoin-aggregator');
  beforeAll(() => {
    db = join(tempDir(), 'evm.db');
    // The CLI has no reader for the generator's model records, so the test writes them through the store's API.
    const store = openSqliteStore(db, { create: true });
    store.write({ provenance: { source: 'generator', locator: dir, format: 'model-ndjson', at: '2026-01-01T00:00:00.000Z' }, accountTransactions: [...readAccountTransactions(dir)] });
    store.close();
    expect(ctrace(['--db', db, 'labels', 'import', join(dir, 'labels.csv'), '--at', '2026-01-01T00:00:00Z']).code).toBe(0);
  });

  test('default: suspects from the labelled scam, phishing and mixer addresses, each asset apart, deterministic', () => {
    const a = ctrace(['--db', db, '--json', 'suspects', ...AS_OF]);
    expect(a.code).toBe(0);
    const json = JSON.parse(a.stdout);
    expect(json.sources).toMatchObject({ addresses: 4, categories: expect.arrayContaining(['scam', 'phishing', 'mixing_service']) });
    expect(json.suspects.length).toBeGreaterThan(0);
    expect(json.suspects.every((s: { asset: string; parts: { tainted: string; received: string } }) => BigInt(s.parts.tainted) <= BigInt(s.parts.received) && s.asset.length > 0)).toBe(true);
    expect(ctrace(['--db', db, '--json', 'suspects', ...AS_OF]).stdout).toBe(a.stdout);
  });

  test('behavior: trace in on an account chain walks back to earlier transfers; tiho and haircut-in are refused in one line', () => {
    const scam = JSON.parse(ctrace(['--db', db, '--json', 'labels', 'list', '--category', 'scam']).stdout)[0].address;
    const back = ctrace(['--db', db, '--json', 'trace', scam, '--direction', 'in', '--stop-at', 'none', ...AS_OF]);
    expect(back.code).toBe(0);
    const flow = JSON.parse(back.stdout).flow as { hop: number; holder: string; taint: string; value: string }[];
    expect(flow.filter((f) => f.hop === 0).every((f) => f.holder === scam && f.taint === f.value)).toBe(true);
    const r = ctrace(['--db', db, 'trace', scam, '--direction', 'in', '--policy', 'haircut']);
    expect([r.code, r.stderr]).toEqual([2, 'ctrace: tracing back on account chains uses fifo or lifo, not haircut\n']);
    expect(ctrace(['--db', db, 'trace', scam, '--policy', 'tiho']).stderr).toBe('ctrace: account chains are traced with fifo, lifo or haircut, not tiho\n');
    expect(ctrace(['--db', db, 'trace', scam, '--policy', 'fifo']).code).toBe(0);
  });
});

describe('ctrace suspects on the darknet-market fixture world, from the investigator\'s labels', () => {
  test('default: from the seized market addresses, the wallets ranked first are the truth\'s vendors and market', () => {
    const dir = namedScenarioDir('darknet-market');
    const db = join(tempDir(), 'dm.db');
    expect(ctrace(['--db', db, 'ingest', join(dir, 'blk00000.dat'), '--chain', 'bitcoin-regtest']).code).toBe(0);
    expect(ctrace(['--db', db, 'labels', 'import', join(dir, 'labels.csv'), '--at', '2026-01-01T00:00:00Z']).code).toBe(0);
    const r = ctrace(['--db', db, '--json', 'suspects', '--source', 'darknet_market', '--limit', '10', ...AS_OF]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const truth = loadTruth(dir);
    const illicit = new Set(truth.entities.filter((e) => e.illicit).map((e) => e.id));
    const top = (json.suspects as { wallet: string }[]).map((s) => illicit.has(truth.ownerOf.get(s.wallet) ?? ''));
    // Measured: 9 of the first 10 are illicit (the 8th is a shop paid from a vendor's change).
    expect(top.slice(0, 7).every(Boolean)).toBe(true);
    expect(top.filter(Boolean).length).toBeGreaterThanOrEqual(9);
    expect(json.services.map((s: { labels: string[] }) => s.labels[0])).toContain('exchange');
  });
});
