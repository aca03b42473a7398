import { describe, expect, test } from 'vitest';
import { makeTx } from '../heuristics/cluster/test-tx.js';
import { detectCoinjoin } from '../heuristics/coinjoin/detect-coinjoin.js';
import { isCounterparty, rc4 } from './counterparty.js';
import { bytesOfHex, hexOfBytes } from './hex.js';
import { nulldataPayload } from './nulldata.js';
import { decodeOmni } from './omni.js';
import { carrierOf, dataCarriers } from './protocols.js';

const ascii = (s: string) => hexOfBytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
const push = (hex: string) => `${hex.length / 2 > 75 ? '4c' : ''}${(hex.length / 2).toString(16).padStart(2, '0')}${hex}`;
// An Omni class C simple send, built to the Omni Layer spec: "omni", version (u16), type (u16), property (u32), amount (u64).
const omniPayload = (property: number, amount: bigint, type = 0) =>
  `${ascii('omni')}0000${type.toString(16).padStart(4, '0')}${property.toString(16).padStart(8, '0')}${amount.toString(16).padStart(16, '0')}`;
const prevTxid = 'a1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d';

describe('OP_RETURN payloads', () => {
  test('default: pushes joined, PUSHDATA1 and OP_13 read as Core reads them', () => {
    expect(hexOfBytes(nulldataPayload(bytesOfHex(`6a${push('5832')}${push('ab')}`)!)!.payload)).toBe('5832ab');
    const long = 'cd'.repeat(80);
    expect(hexOfBytes(nulldataPayload(bytesOfHex(`6a4c50${long}`)!)!.payload)).toBe(long);
    expect(nulldataPayload(bytesOfHex('6a5d0101')!)).toMatchObject({ marker: 0x5d, standard: true });
    expect(nulldataPayload(bytesOfHex('6a05ab')!)).toMatchObject({ standard: false });
    expect(nulldataPayload(bytesOfHex('76a9')!)).toBeNull();
  });
  test('default: RC4 gives the published test vector (key "Key", "Plaintext")', () => {
    expect(hexOfBytes(rc4(bytesOfHex(ascii('Key'))!, bytesOfHex(ascii('Plaintext'))!))).toBe('bbf316e8d940af0ad3');
  });
});

describe('data-carrier protocols', () => {
  test('default: Omni simple send of USDT decoded: property 31, amount, sender and receiver', () => {
    const o = decodeOmni(bytesOfHex(omniPayload(31, 2_500_000_000n))!);
    expect(o).toEqual({ version: 0, type: 0, typeName: 'simple send', propertyId: 31, propertyName: 'TetherUS (USDT)', amount: '2500000000' });
    const tx = makeTx({ ins: [['1Sender', 10_000]], outs: [['1Sender', 8_000], [null, 0], ['1Receiver', 546]], nulldata: [`6a${push(omniPayload(31, 2_500_000_000n))}`] });
    const [c] = dataCarriers(tx);
    expect(c).toMatchObject({ outputIndex: 1, protocol: 'omni', omni: { sender: '1Sender', receiver: '1Receiver', propertyId: 31, amount: '2500000000' } });
  });
  test.each([
    ['stacks', `6a${push(`${ascii('X2')}5b${'00'.repeat(76)}`)}`],
    ['open-assets', `6a${push('4f41010001e80700')}`],
    ['colu', `6a${push(`4343020115${'ab'.repeat(20)}`)}`],
    ['runes', '6a5d0814c0a2331488a0'],
    ['docproof', `6a${push(`${ascii('DOCPROOF')}${'11'.repeat(32)}`)}`],
    ['unknown', `6a${push('deadbeef')}`],
  ])('default: %s is named from its payload', (protocol, script) => {
    expect(carrierOf(bytesOfHex(script)!, prevTxid)?.protocol).toBe(protocol);
  });
  test('default: Counterparty is recognised only with the key of its first input', () => {
    const clear = bytesOfHex(`${ascii('CNTRPRTY')}00000000000000000000000100000000000003e8`)!;
    const sealed = hexOfBytes(rc4(bytesOfHex(prevTxid)!, clear));
    expect(isCounterparty(bytesOfHex(sealed)!, prevTxid)).toBe(true);
    expect(carrierOf(bytesOfHex(`6a${push(sealed)}`)!, prevTxid)?.protocol).toBe('counterparty');
    expect(carrierOf(bytesOfHex(`6a${push(sealed)}`)!, 'ff'.repeat(32))?.protocol).toBe('unknown');
  });
  test('behavior: none of the data carriers is a CoinJoin, even with an output in a premix range and a fee-sized one', () => {
    const scripts = [`6a${push(omniPayload(31, 10n ** 10n))}`, `6a${push(`${ascii('X2')}${'00'.repeat(78)}`)}`, `6a${push('4f41010002e807e807')}`];
    for (const script of scripts) {
      const tx = makeTx({ ins: [['1A', 5_000_000]], outs: [[null, 0], ['1B', 1_000_546], ['1C', 50_000], ['1D', 3_940_000]], nulldata: [script] });
      expect(detectCoinjoin(tx).guarded).toBe(false);
      expect(dataCarriers(tx)[0].protocol).not.toBe('unknown');
    }
  });
});
