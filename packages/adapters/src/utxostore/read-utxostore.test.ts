import { describe, expect, test } from 'vitest';
import { getChain, txFee, utxoNetwork } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';
import { decodeInput } from '../ingest/decode-input.js';
import { openInput } from '../ingest/read-input.js';
import { decompressAmount, readCompressedScript, readVarInt } from './compress.js';
import { readUtxoStore, resolveFromUtxos } from './read-utxostore.js';

const net = utxoNetwork(getChain('bitcoin'));
const BLOCK = 'data/bitcoin/raw-blocks/btcd-block277647.dat.bz2';
const UTXOS = 'data/bitcoin/raw-blocks/btcd-block277647.utxostore.bz2';

describe('compressed coins (Core compressor.cpp)', () => {
  test.each([
    [0n, 0n], [1n, 1n], [7n, 1_000_000n], [9n, 100_000_000n], [0x32n, 5_000_000_000n],
  ])('default: decompressAmount(%s) = %s', (x, v) => expect(decompressAmount(x)).toBe(v));
  test('default: VARINT reads Core\'s base-128 with the +1 continuation', () => {
    expect(readVarInt({ bytes: Uint8Array.of(0x80, 0x00), pos: 0 })).toBe(128n);
    expect(readVarInt({ bytes: Uint8Array.of(0xfe, 0x7f), pos: 0 })).toBe(16383n);
  });
  test('default: special script forms', () => {
    const h = new Uint8Array(20).fill(7);
    expect(Buffer.from(readCompressedScript({ bytes: Uint8Array.of(0, ...h), pos: 0 })).toString('hex')).toBe(`76a914${'07'.repeat(20)}88ac`);
    expect(Buffer.from(readCompressedScript({ bytes: Uint8Array.of(1, ...h), pos: 0 })).toString('hex')).toBe(`a914${'07'.repeat(20)}87`);
    expect(Buffer.from(readCompressedScript({ bytes: Uint8Array.of(8, 0x6a, 0x01), pos: 0 })).toString('hex')).toBe('6a01');
  });
  test('error: a truncated record', () => {
    expect(() => readUtxoStore(new Uint8Array(41), net)).toThrowErrorMatchingInlineSnapshot(`[CtraceError: UTXO record truncated at byte 40: the file is cut short or not a UTXO store]`);
    const rec = new Uint8Array(40 + 2);
    new DataView(rec.buffer).setUint32(36, 2, true);
    rec.set([0x00, 0x00], 40);
    expect(() => readUtxoStore(rec, net)).toThrowErrorMatchingInlineSnapshot(`[CtraceError: UTXO record truncated at byte 42: the file is cut short or not a UTXO store]`);
  });
});

describe.skipIf(!hasShared(UTXOS) || !hasShared(BLOCK))(needs(UTXOS, 'block 277647 and the outputs it spends'), () => {
  test('default: all 732 spent outputs decode and every input of the block resolves; fees + 25 BTC = coinbase', () => {
    const utxos = readUtxoStore(openInput(shared(UTXOS)).all(), net);
    expect(utxos).toHaveLength(732);
    expect(utxos[0]).toMatchObject({ txid: '4660827ec811ae515bf611fb732cdef3d634887e78f46510d3acc0128c337b4a', vout: 0, height: 277646, value: 3_300_000n, address: '1dice97ECuByXAvqXpaYzSaQuPVvrtmz6' });
    const txs = [...decodeInput(openInput(shared(BLOCK)), 'blk', { heightOf: () => null, hasBlock: () => false })].flatMap((u) => u.transactions);
    expect(resolveFromUtxos(txs, utxos)).toBe(732);
    let fees = 0n;
    for (const tx of txs.slice(1)) {
      const fee = txFee(tx)!;
      expect(fee).toBeGreaterThanOrEqual(0n);
      fees += fee;
    }
    const coinbase = txs[0].outputs.reduce((s, o) => s + o.value, 0n);
    expect(coinbase - fees).toBe(2_500_000_000n);
  });
});
