import { describe, expect, it } from 'vitest';
import { CtraceError, getChain, normalizeAddress, normalizeEvmAddress, normalizeHash, toChecksumAddress } from '@cryptotrace/core';

const btc = getChain('bitcoin');
const eth = getChain('ethereum');

describe('normalizeAddress', () => {
  it.each([
    ['p2pkh', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    ['p2sh', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['p2wpkh upper case', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    ['p2tr (bech32m)', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297'],
    ['p2pk script id', 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S'],
  ])('default: bitcoin %s', (_name, input, expected) => {
    expect(normalizeAddress(btc, input)).toBe(expected);
  });

  it('default: litecoin accepts its own prefixes and its legacy 3-addresses', () => {
    const ltc = getChain('litecoin');
    expect(normalizeAddress(ltc, 'LM2WMpR1Rp6j3Sa59cMXMs1SPzj9eXpGc1')).toBe('LM2WMpR1Rp6j3Sa59cMXMs1SPzj9eXpGc1');
    expect(() => normalizeAddress(ltc, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toThrow(/version byte 0 is not one of litecoin's/);
  });

  it.each([
    ['a flipped base58 character', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', /valid checksum/],
    ['a wrong bech32 checksum', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', /bech32 checksum is wrong/],
    ['mixed-case bech32', 'bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', /must not mix cases/],
    ['a testnet address on mainnet', 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', /version byte 111/],
    ['garbage', 'hello', /valid checksum/],
  ])('error: %s', (_name, input, message) => {
    expect(() => normalizeAddress(btc, input)).toThrow(message);
    try {
      normalizeAddress(btc, input);
    } catch (err) {
      expect(err).toBeInstanceOf(CtraceError);
      expect((err as CtraceError).code).toBe('ADDRESS_INVALID');
    }
  });
});

describe('EVM addresses', () => {
  it('default: lower case becomes EIP-55', () => {
    expect(normalizeEvmAddress('0xd8da6bf26964af9d7eed9e03e53415d37aa96045')).toBe('0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045');
    expect(normalizeAddress(eth, '0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toBe('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed');
  });

  it('behavior: the EIP-55 test vectors round-trip', () => {
    for (const a of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb']) {
      expect(toChecksumAddress(a.toLowerCase())).toBe(a);
    }
  });

  it('error: a mixed-case address with a wrong checksum', () => {
    expect(() => normalizeEvmAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toThrow(/wrong EIP-55 checksum/);
    expect(() => normalizeEvmAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA')).toThrow(/expected 0x and 40 hex digits/);
  });
});

describe('normalizeHash and chains', () => {
  it('default: txids are lower-cased; EVM hashes keep 0x', () => {
    expect(normalizeHash(btc, 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16')).toBe('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
    expect(normalizeHash(eth, `0x${'AB'.repeat(32)}`)).toBe(`0x${'ab'.repeat(32)}`);
  });

  it('error: wrong length or prefix', () => {
    expect(() => normalizeHash(btc, 'abc')).toThrow(/expected 64 hex digits/);
    expect(() => normalizeHash(eth, 'ab'.repeat(32))).toThrow(/expected 0x and 64 hex digits/);
  });

  it('default: named chains and evm-<id>', () => {
    expect(getChain('polygon').chainId).toBe(137);
    expect(getChain('evm-1').name).toBe('ethereum');
    expect(getChain('evm-424242')).toMatchObject({ kind: 'account', chainId: 424242 });
    expect(() => getChain('dogecoinz')).toThrow(/unknown chain "dogecoinz"/);
  });
});
