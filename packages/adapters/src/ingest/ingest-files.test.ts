import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, txFee } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';
import { dump } from '../../../../test/support/store.js';

const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const GOLDEN = 'data/bitcoin/core-getblock';
const ETL = 'data/bitcoin/bitcoin-etl/tests/resources/test_export_blocks_job/bitcoin';
const AT = '2026-01-01T00:00:00.000Z';

function tempStore(): SqliteStore {
  return openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ctrace-ingest-')), 'case.db'), { create: true });
}

describe.skipIf(!hasShared(PEEL))(needs(PEEL, 'mainnet blocks 1 to 255 (btcd framing, bzip2)'), () => {
  it('default: all 255 blocks ingest, all 7 spends resolve inside the file, fees are exact', async () => {
    const store = tempStore();
    const summary = await ingestFiles(store, [shared(PEEL)], { at: AT });
    expect(summary.files[0].format).toBe('blk');
    expect(summary.blocks).toBe(255);
    const stats = store.stats();
    expect(stats).toMatchObject({ blocks: 255, unresolvedInputs: 0 });
    const txs = [...store.iterateUtxoTransactions('bitcoin')];
    const spends = txs.filter((t) => !t.inputs[0].coinbase);
    expect(spends).toHaveLength(7);
    expect(spends.every((t) => t.inputs.every((i) => i.resolved && i.value !== null && i.scriptId?.startsWith('p2pk:')))).toBe(true);
    // Heights follow the chain from genesis.
    expect(store.getBlock('bitcoin', 1)?.hash).toBe('00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048');
    expect(store.getBlock('bitcoin', 170)?.hash).toBe('00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee');
    expect(store.getBlock('bitcoin', 255)).not.toBeNull();
    // Block 170: the first person-to-person payment, 10 BTC to Hal Finney and 40 BTC back, no fee.
    const first = store.getTransaction('bitcoin', 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16') as UtxoTransaction;
    expect(first.block?.height).toBe(170);
    expect(first.outputs.map((o) => o.value)).toEqual([1_000_000_000n, 4_000_000_000n]);
    expect(first.inputs[0]).toMatchObject({ value: 5_000_000_000n, scriptId: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S' });
    // A fee is inputs minus outputs, exactly; and each coinbase claims exactly the 50 BTC subsidy plus its block's fees.
    const byBlock = new Map<string, UtxoTransaction[]>();
    for (const t of txs) byBlock.set(t.block!.hash, [...(byBlock.get(t.block!.hash) ?? []), t]);
    for (const blockTxs of byBlock.values()) {
      const fees = blockTxs.slice(1).reduce((s, t) => s + txFee(t)!, 0n);
      const claimed = blockTxs[0].outputs.reduce((s, o) => s + o.value, 0n);
      expect(claimed).toBe(5_000_000_000n + fees);
    }
    expect(spends.map((t) => txFee(t))).toEqual(spends.map(() => 0n));
    store.close();
  });

  it('behavior: ingesting the same file twice leaves the same store', async () => {
    const store = tempStore();
    await ingestFiles(store, [shared(PEEL)], { at: AT });
    const once = dump(store);
    const again = await ingestFiles(store, [shared(PEEL)], { at: AT });
    expect(again).toMatchObject({ blocks: 0, transactions: 0 });
    expect(dump(store)).toBe(once);
    store.close();
  });

  it('behavior: a spend stored before the transaction it spends is resolved when that arrives', async () => {
    const full = tempStore();
    await ingestFiles(full, [shared(PEEL)], { at: AT });
    const spend = full.getTransaction('bitcoin', 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16') as UtxoTransaction;
    const funding = full.getTransaction('bitcoin', spend.inputs[0].prevTxid) as UtxoTransaction;
    const unresolved = { ...spend, inputs: spend.inputs.map((i) => ({ ...i, address: null, scriptId: null, value: null, resolved: false })) };
    const store = tempStore();
    const provenance = { source: 'test', locator: 'hand-ordered', format: 'model', at: AT };
    store.write({ provenance, utxoTransactions: [unresolved] });
    expect(store.stats().unresolvedInputs).toBe(1);
    expect(txFee(store.getTransaction('bitcoin', spend.txid) as UtxoTransaction)).toBeNull();
    const r = store.write({ provenance, utxoTransactions: [funding] });
    expect(r.resolvedInputs).toBe(1);
    expect(store.stats().unresolvedInputs).toBe(0);
    expect(store.getTransaction('bitcoin', spend.txid)).toEqual(spend);
    expect(store.spenderOf('bitcoin', funding.txid, 0)).toEqual({ txid: spend.txid, inputIndex: 0 });
    store.close();
    full.close();
  });
});

describe.skipIf(!hasShared(GOLDEN))(needs(GOLDEN, 'Core getblock JSON and hex ingest alike'), () => {
  it('default: a block as Core JSON and as hex text give the same store', async () => {
    const names = readdirSync(shared(GOLDEN)).filter((f) => f.endsWith('.hex')).slice(0, 6).map((f) => f.slice(0, -4));
    const fromJson = tempStore();
    const fromHex = tempStore();
    const a = await ingestFiles(fromJson, names.map((n) => shared(`${GOLDEN}/${n}.json`)), { at: AT });
    const b = await ingestFiles(fromHex, names.map((n) => shared(`${GOLDEN}/${n}.hex`)), { at: AT });
    expect(a.files.map((f) => f.format)).toEqual(names.map(() => 'core-block-json'));
    expect(b.files.map((f) => f.format)).toEqual(names.map(() => 'hex-block'));
    const txsOf = (s: SqliteStore) => [...s.iterateUtxoTransactions('bitcoin')].map((t) => ({ ...t, block: { ...t.block!, height: null } }));
    expect(txsOf(fromJson)).toEqual(txsOf(fromHex));
    expect(a.transactions).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasShared(ETL))(needs(ETL, 'blockchain-etl exports against the raw data they were made from'), () => {
  const cases = hasShared(ETL) ? readdirSync(shared(ETL)).filter((d) => readdirSync(shared(`${ETL}/${d}`)).some((f) => f.startsWith('rpc_response_getblock_') && f.endsWith('_2.json'))) : [];

  it.each(cases)('default: %s: expected_transactions.json gives the transactions the raw blocks give', async (dir) => {
    const files = readdirSync(shared(`${ETL}/${dir}`));
    const blocks = files.filter((f) => f.startsWith('rpc_response_getblock_') && f.endsWith('_2.json')).map((f) => shared(`${ETL}/${dir}/${f}`));
    const raw = tempStore();
    const etl = tempStore();
    await ingestFiles(raw, blocks, { at: AT });
    const r = await ingestFiles(etl, [shared(`${ETL}/${dir}/expected_transactions.json`)], { at: AT });
    expect(r.files[0].format).toBe('blockchain-etl');
    const shape = (t: UtxoTransaction) => ({
      txid: t.txid,
      block: t.block,
      position: t.position,
      version: t.version,
      locktime: t.locktime,
      outputs: t.outputs,
      inputs: t.inputs.map((i) => ({ prevTxid: i.prevTxid, prevVout: i.prevVout, coinbase: i.coinbase, ...(i.coinbase ? {} : { sequence: i.sequence }) })),
    });
    const fromEtl = [...etl.iterateUtxoTransactions('bitcoin')].map(shape);
    const fromRaw = [...raw.iterateUtxoTransactions('bitcoin')].map(shape);
    expect(fromEtl.length).toBeGreaterThan(0);
    expect(fromEtl).toEqual(fromRaw);
    // The export's own input addresses and values are stored as resolved (the raw blocks alone cannot resolve them).
    const etlRows = readFileSync(shared(`${ETL}/${dir}/expected_transactions.json`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const row of etlRows.filter((x) => !x.is_coinbase)) {
      const tx = etl.getTransaction('bitcoin', row.hash) as UtxoTransaction;
      expect(tx.inputs.map((i) => i.value?.toString() ?? null)).toEqual(row.inputs.map((i: { value: number | null }) => (i.value === null ? null : String(i.value))));
      // Where the export lacks an input's value it still states a fee (0 minus the outputs): we say unknown instead.
      const known = row.inputs.every((i: { value: number | null }) => i.value !== null);
      expect(txFee(tx)?.toString() ?? null).toBe(known ? String(row.fee) : null);
    }
  });
});
