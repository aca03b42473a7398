import { describe, expect, it } from 'vitest';
import { classifyScript, scriptIdOf } from '@cryptotrace/adapters';
import { getChain, utxoNetwork } from '@cryptotrace/core';

const net = utxoNetwork(getChain('bitcoin'));
const ltcRegtest = utxoNetwork(getChain('litecoin-regtest'));
const GENESIS_KEY = '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f';
const KEY2 = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const hex = (h: string) => Buffer.from(h, 'hex');

// Known vectors: BIP173 (P2WPKH, P2WSH), BIP86 (P2TR), the genesis coinbase key (P2PK), Satoshi's address (P2PKH).
const valid: [string, string, string, string | null, string | null][] = [
  ['p2pkh', '76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac', 'p2pkh', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', null],
  ['p2sh', 'a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87', 'p2sh', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', null],
  ['p2wpkh', '0014751e76e8199196d454941c45d1b3a323f1433bd6', 'p2wpkh', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', null],
  ['p2wsh', '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262', 'p2wsh', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', null],
  ['p2tr', '5120a37c3903c8d0db6512e2b40b0dffa05e5a3ab73603ce8c9c4b7771e5412328f9', 'p2tr', 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', null],
  ['p2pk', `41${GENESIS_KEY}ac`, 'p2pk', null, 'p2pk:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
  ['bare multisig 1-of-2', `5141${GENESIS_KEY}21${KEY2}52ae`, 'multisig', null, scriptIdOf(hex(`5141${GENESIS_KEY}21${KEY2}52ae`))],
  ['op_return', '6a0b68656c6c6f20776f726c64', 'nulldata', null, null],
  ['non-standard', '5151935287', 'nonstandard', null, scriptIdOf(hex('5151935287'))],
];

describe('classifyScript', () => {
  it.each(valid)('default: %s', (_name, script, type, address, scriptId) => {
    expect(classifyScript(hex(script), net)).toEqual({ scriptType: type, address, scriptId });
  });

  it('default: litecoin regtest prefixes', () => {
    expect(classifyScript(hex('0014751e76e8199196d454941c45d1b3a323f1433bd6'), ltcRegtest).address).toMatch(/^rltc1q/);
    expect(classifyScript(hex('76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac'), ltcRegtest).address).toMatch(/^[mn]/);
  });

  it('behavior: an unknown witness version keeps an address; a p2pk with a bad key is non-standard', () => {
    expect(classifyScript(hex('5210751e76e8199196d454941c45d1b3a323'), net).scriptType).toBe('witness_unknown');
    expect(classifyScript(hex(`21${'05'.repeat(33)}ac`), net).scriptType).toBe('nonstandard');
  });

  it('behavior: script ids are stable and differ by script', () => {
    expect(scriptIdOf(hex('5151935287'))).toBe(scriptIdOf(hex('5151935287')));
    expect(scriptIdOf(hex('5151935287'))).not.toBe(scriptIdOf(hex('5151935288')));
    expect(scriptIdOf(hex('5151935287'))).toMatch(/^script:[0-9a-f]{40}$/);
  });
});
