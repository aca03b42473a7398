import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Block } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { decodeEsploraTx, ingestFiles, openInput, openSqliteStore, readBlkFrames } from '@cryptotrace/adapters';
import { CtraceError, type UtxoTransaction, getChain } from '@cryptotrace/core';
import { coinsToBase, parseJsonExact } from './json.js';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';

const STREAM = 'data/bitcoin/bitcoin-etl/tests/resources/test_export_blocks_job/bitcoin/stream_50001_50002';
const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const bitcoin = getChain('bitcoin');

const tmp = () => mkdtempSync(join(tmpdir(), 'ctrace-formats-'));

describe('exact amounts', () => {
  it.each([
    ['50.00000000', 8, 5_000_000_000n],
    ['0.1', 8, 10_000_000n],
    ['1e-8', 8, 1n],
    ['92233720.36854775', 8, 9_223_372_036_854_775n],
    ['100000000000.12345678', 8, 10_000_000_000_012_345_678n],
  ])('default: %s coins at %i decimals', (text, decimals, base) => {
    expect(coinsToBase(text, decimals, 'test')).toBe(base);
  });

  it('behavior: JSON amounts keep every digit, also past 2^53', () => {
    const v = parseJsonExact('{"vout":[{"value": 100000000000.12345678, "n": 0}], "fee": 12345678901234567890}', 'test') as { vout: { value: string; n: number }[]; fee: string };
    expect(v.vout[0]).toEqual({ value: '100000000000.12345678', n: 0 });
    expect(v.fee).toBe('12345678901234567890');
  });

  it('error: more decimals than the base unit', () => {
    expect(() => coinsToBase('0.000000001', 8, 'f.json')).toThrow(/f.json: amount 0.000000001 has more than 8 decimals/);
  });
});

describe.skipIf(!hasShared(STREAM))(needs(STREAM, "Bitcoin Core's getrawtransaction answers and raw transaction hex"), () => {
  const files = hasShared(STREAM) ? readdirSync(shared(STREAM)).filter((f) => f.startsWith('rpc_response_getrawtransaction_')) : [];

  it('default: getrawtransaction JSON and the same transactions as raw hex give the same store', async () => {
    const dir = tmp();
    const fromJson = openSqliteStore(join(dir, 'json.db'), { create: true });
    const fromHex = openSqliteStore(join(dir, 'hex.db'), { create: true });
    const a = await ingestFiles(fromJson, files.map((f) => shared(`${STREAM}/${f}`)));
    expect(a.files.map((f) => f.format)).toEqual(files.map(() => 'core-tx-json'));
    const hexFiles = files.map((f, k) => {
      const p = join(dir, `tx${k}.hex`);
      writeFileSync(p, `${JSON.parse(readFileSync(shared(`${STREAM}/${f}`), 'utf8')).hex}\n`);
      return p;
    });
    const b = await ingestFiles(fromHex, hexFiles);
    expect(b.files.map((f) => f.format)).toEqual(files.map(() => 'hex-tx'));
    const txs = (s: typeof fromJson) => [...s.iterateUtxoTransactions('bitcoin')].map((t) => ({ ...t, block: null }));
    expect(txs(fromJson)).toEqual(txs(fromHex));
    expect(txs(fromJson).map((t) => t.txid).sort()).toEqual(files.map((f) => f.slice('rpc_response_getrawtransaction_'.length, -5)).sort());
    // The JSON carries its block; loose hex does not.
    expect((fromJson.getTransaction('bitcoin', txs(fromJson)[0].txid) as UtxoTransaction).block?.hash).toMatch(/^0{8}/);
  });

  it('error: a txid that does not match the hex beside it', async () => {
    const dir = tmp();
    const json = JSON.parse(readFileSync(shared(`${STREAM}/${files[0]}`), 'utf8'));
    json.txid = 'ab'.repeat(32);
    const p = join(dir, 'tampered.json');
    writeFileSync(p, JSON.stringify(json));
    const store = openSqliteStore(join(dir, 'x.db'), { create: true });
    await expect(ingestFiles(store, [p])).rejects.toThrow(/hashes to .*, not the txid abab/);
    expect(store.stats().transactions).toBe(0);
  });
});

/** Block 170's payment and block 9's coinbase output it spends, as Esplora would serve them. */
function esploraOfBlock170(): Record<string, unknown> {
  const input = openInput(shared(PEEL));
  const blocks = [...readBlkFrames(input.readAt, input.size, PEEL)].map((f) => Block.fromBuffer(f.bytes));
  const block170 = blocks.find((b) => b.getId() === '00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee')!;
  const tx = block170.transactions![1];
  const funding = blocks.flatMap((b) => b.transactions!).find((t) => t.getId() === '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9')!;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    txid: tx.getId(),
    version: tx.version,
    locktime: tx.locktime,
    vin: tx.ins.map((i) => ({
      txid: Buffer.from(i.hash).reverse().toString('hex'),
      vout: i.index,
      prevout: { scriptpubkey: hex(funding.outs[i.index].script), scriptpubkey_type: 'p2pk', value: Number(funding.outs[i.index].value) },
      scriptsig: hex(i.script),
      witness: [],
      is_coinbase: false,
      sequence: i.sequence,
    })),
    vout: tx.outs.map((o) => ({ scriptpubkey: hex(o.script), scriptpubkey_type: 'p2pk', value: Number(o.value) })),
    size: tx.byteLength(),
    weight: tx.weight(),
    fee: 0,
    status: { confirmed: true, block_height: 170, block_hash: block170.getId(), block_time: block170.timestamp },
  };
}

describe.skipIf(!hasShared(PEEL))(needs(PEEL, 'Esplora transaction JSON'), () => {
  it('default: the txid is recomputed from the fields and prevouts make inputs resolved', async () => {
    const json = esploraOfBlock170();
    const tx = decodeEsploraTx(json, bitcoin, 'esplora.json');
    expect(tx).toMatchObject({ txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', block: { height: 170 } });
    expect(tx.inputs[0]).toMatchObject({ resolved: true, value: 5_000_000_000n, scriptId: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S' });
    const dir = tmp();
    const p = join(dir, 'address-txs.json');
    writeFileSync(p, JSON.stringify([json]));
    const store = openSqliteStore(join(dir, 'e.db'), { create: true });
    const r = await ingestFiles(store, [p]);
    expect(r.files[0].format).toBe('esplora-tx-json');
    expect(store.stats()).toMatchObject({ transactions: 1, unresolvedInputs: 0 });
  });

  it.each([
    ['a changed output value', (j: any) => (j.vout[0].value += 1), /fields hash to/],
    ['a prevout value that does not add up to the fee', (j: any) => (j.vin[0].prevout.value += 1), /the values do not add up/],
  ])('error: %s', (_name, tamper, message) => {
    const json = esploraOfBlock170();
    tamper(json);
    expect(() => decodeEsploraTx(json, bitcoin, 'esplora.json')).toThrow(message);
    try {
      decodeEsploraTx(json, bitcoin, 'esplora.json');
    } catch (err) {
      expect((err as CtraceError).code).toBe('INPUT_INCONSISTENT');
    }
  });
});
