import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dataCarriers, getChain, parseRuleSet, utxoNetwork, type UtxoTransaction } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../../test/support/shared.js';
import { bitcoinjs, secp256k1 } from '../../bitcoin/bitcoinjs.js';
import { decodeTransaction } from '../../bitcoin/transaction.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { createClusterReader } from './clusters-read.js';
import { rebuildClusters } from './clusters-run.js';
import { openSqliteStore, type SqliteStore } from './store.js';

const network = utxoNetwork(getChain('bitcoin'));
const provenance = { source: 'test', locator: 'coinjoin-guards', format: 'raw-tx', at: '2026-01-01T00:00:00Z' };
const key = (n: number) => Buffer.from(secp256k1().pointFromScalar(Buffer.alloc(32, n), true)!);
const sig = Buffer.concat([Buffer.from([0x30, 0x44, 0x02, 0x20]), Buffer.alloc(32, 7), Buffer.from([0x02, 0x20]), Buffer.alloc(32, 9), Buffer.from([0x01])]);
const p2wpkh = (n: number) => bitcoinjs().payments.p2wpkh({ pubkey: key(n) });
const place = { chain: 'bitcoin', block: { hash: '00'.repeat(32), height: 800_000, time: 1_700_000_000 }, position: 1 };

/**
 * A transaction built as a wallet serializes it: P2WPKH inputs signed by keys `from` (their witness reveals the key,
 * so the input's address is known before its previous output is), spending `spends`, paying `pays`.
 */
function build(spends: { txid: string; vout: number }[], from: number[], pays: [script: Buffer, value: number][]): UtxoTransaction {
  const t = new (bitcoinjs().Transaction)();
  t.version = 2;
  spends.forEach((s, n) => {
    t.addInput(Buffer.from(s.txid, 'hex').reverse(), s.vout, 0xfffffffd);
    t.ins[n].witness = [sig, key(from[n])];
  });
  for (const [script, value] of pays) t.addOutput(script, BigInt(value));
  return decodeTransaction(t.toBuffer(), network, place);
}

/** A funding transaction paying each key its value (the mix's previous outputs). */
function fund(keys: number[], value: number, salt: number): UtxoTransaction {
  return build([{ txid: salt.toString(16).padStart(64, 'e'), vout: 0 }], [90], keys.map((k) => [p2wpkh(k).output!, value]));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctrace-guards-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CoinJoin guards with inputs unresolved and resolved', () => {
  const keys = [11, 12, 13, 14, 15];
  const parents = keys.map((k, n) => fund([k], 1_000_170, 100 + n));
  const mix = build(parents.map((p) => ({ txid: p.txid, vout: 0 })), keys, keys.map((k) => [p2wpkh(k + 100).output!, 1_000_000]));
  test.each([0, 2, 3, 4, 5])('behavior: a 5-input Whirlpool mix with %i of its previous outputs known gives no link and a whirlpool report', (known) => {
    const store = openSqliteStore(join(dir, `mix-${known}.db`), { create: true });
    try {
      store.write({ provenance, blocks: [], utxoTransactions: [...parents.slice(0, known), mix] });
      const s = rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input,change'));
      expect(s.links).toEqual({});
      const reader = createClusterReader(store.db);
      expect(reader.events('bitcoin')).toMatchObject([{ kind: 'coinjoin', rule: 'whirlpool', txid: mix.txid, detail: { inputValuesKnown: known } }]);
      const [a, b] = mix.inputs.map((i) => i.address!);
      expect(reader.why('bitcoin', a, b)).toBeNull();
      expect(reader.guardedBetween('bitcoin', a, b)).toMatchObject([{ kind: 'coinjoin', rule: 'whirlpool', txid: mix.txid }]);
    } finally {
      store.close();
    }
  });
  test('behavior: the ambiguous 2-input shape gives no link and an ambiguous report; a plain 2-input payment with change is linked, from derived addresses', () => {
    const store = openSqliteStore(join(dir, 'ambiguous.db'), { create: true });
    try {
      const fundA = fund([21, 22], 300_000, 200);
      const stonewall = build([{ txid: fundA.txid, vout: 0 }, { txid: fundA.txid, vout: 1 }], [21, 22], [[p2wpkh(31).output!, 120_000], [p2wpkh(32).output!, 120_000], [p2wpkh(33).output!, 55_555]]);
      // The payment's previous outputs are not in the store: both input addresses come from the witnesses.
      const payment = build([{ txid: 'ab'.repeat(32), vout: 3 }, { txid: 'cd'.repeat(32), vout: 1 }], [41, 42], [[p2wpkh(43).output!, 120_000], [p2wpkh(44).output!, 55_555]]);
      store.write({ provenance, blocks: [], utxoTransactions: [fundA, stonewall, payment] });
      const s = rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input,change'));
      expect(s).toMatchObject({ ambiguous: 1, coinjoins: 0 });
      const reader = createClusterReader(store.db);
      const [a, b] = stonewall.inputs.map((i) => i.address!);
      expect(reader.why('bitcoin', a, b)).toBeNull();
      expect(reader.guardedBetween('bitcoin', a, b)).toMatchObject([{ kind: 'ambiguous', rule: 'ambiguous-equal-output', txid: stonewall.txid }]);
      const [c, d] = payment.inputs.map((i) => i.address!);
      expect(c).toBe(p2wpkh(41).address);
      const path = reader.why('bitcoin', c, d)!;
      expect(path).toMatchObject([{ evidence: { rule: 'multi-input', txid: payment.txid, params: { derivedInputs: '0,1' } } }]);
    } finally {
      store.close();
    }
  });
});

const BLOCKS = 'data/bitcoin/core-getblock';
const RAW = 'data/bitcoin/raw-blocks/block413567.raw';
describe.skipIf(!hasShared(BLOCKS) || !hasShared(RAW))(needs(BLOCKS, 'real mainnet blocks, each ingested on its own'), () => {
  let store: SqliteStore;
  beforeAll(async () => {
    store = openSqliteStore(join(dir, 'real.db'), { create: true });
    const files = readdirSync(shared(BLOCKS)).filter((f) => f.endsWith('.hex')).map((f) => join(shared(BLOCKS), f));
    await ingestFiles(store, [...files, shared(RAW)]);
  });
  afterAll(() => store.close());

  test('behavior: every data carrier is named and none is a CoinJoin; input addresses come from spending data', () => {
    const txs = [...store.iterateUtxoTransactions('bitcoin')];
    const found = new Map<string, number>();
    const carriers = new Set<string>();
    for (const t of txs) {
      for (const c of dataCarriers(t)) {
        found.set(c.protocol, (found.get(c.protocol) ?? 0) + 1);
        carriers.add(t.txid);
      }
    }
    // The 4 unknown: payloads of 36 and 24 bytes and two of 40 ("VX", "CP11" prefixes) that no protocol we know of writes.
    expect(Object.fromEntries([...found].sort())).toEqual({
      blockstack: 3, commitment: 7, counterparty: 13, factom: 3, ipfs: 2, omni: 11, 'open-assets': 2, unknown: 4, veriblock: 160, 'witness-commitment': 1,
    });
    const s = rebuildClusters(store, 'bitcoin', parseRuleSet('multi-input,change'));
    const guarded = createClusterReader(store.db).events('bitcoin', null, 10_000).filter((e) => e.kind === 'coinjoin' || e.kind === 'ambiguous');
    expect(guarded.filter((e) => carriers.has(e.txid))).toEqual([]);
    expect(s).toMatchObject({ coinjoins: 15, ambiguous: 21 });
    // Blocks on their own: almost no previous output is stored, so the links come from derived input addresses.
    const derived = store.db.prepare("SELECT count(*) FROM cluster_links WHERE rule = 'multi-input' AND params LIKE '%derivedInputs%'").pluck().get() as number;
    expect(derived).toBeGreaterThan(1000);
  });
  test('default: show tx data of an Omni send decodes it', () => {
    const omni = [...store.iterateUtxoTransactions('bitcoin')].flatMap((t) => dataCarriers(t)).find((c) => c.omni?.typeName === 'simple send')!;
    expect(omni.omni).toMatchObject({ version: expect.any(Number), propertyId: expect.any(Number), amount: expect.stringMatching(/^\d+$/) });
    expect(omni.omni!.sender).not.toBeNull();
  });
});
