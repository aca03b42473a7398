import { describe, expect, test } from 'vitest';
import { getChain, utxoNetwork, type UtxoTransaction } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';
import { decodeInput } from '../ingest/decode-input.js';
import { openInput } from '../ingest/read-input.js';
import { readUtxoStore, resolveFromUtxos } from '../utxostore/read-utxostore.js';
import { bitcoinjs, secp256k1 } from './bitcoinjs.js';
import { classifyScript } from './script.js';
import { spentAddress } from './spend-address.js';

const network = utxoNetwork(getChain('bitcoin'));
const key = (n: number) => Buffer.from(secp256k1().pointFromScalar(Buffer.alloc(32, n), true)!);
const uncompressed = (n: number) => Buffer.from(secp256k1().pointFromScalar(Buffer.alloc(32, n), false)!);
// A signature's shape (DER: 0x30, length, then r and s; the sighash byte last); spentAddress checks the shape, not the curve.
const sig = Buffer.concat([Buffer.from([0x30, 0x44, 0x02, 0x20]), Buffer.alloc(32, 7), Buffer.from([0x02, 0x20]), Buffer.alloc(32, 9), Buffer.from([0x01])]);
const push = (b: Buffer) => Buffer.concat([Buffer.from(b.length < 76 ? [b.length] : [0x4c, b.length]), b]);
const script = (...parts: Buffer[]) => Buffer.concat(parts);
/** The address the output script of a payment gives, as the store would have it from the previous output. */
const addressOf = (output: Buffer) => classifyScript(output, network).address;

describe('input addresses from spending data', () => {
  const { payments } = bitcoinjs();
  const multisig = payments.p2ms({ m: 2, pubkeys: [key(1), key(2), key(3)] });
  test.each([
    ['p2pkh (compressed key)', script(push(sig), push(key(1))), [], payments.p2pkh({ pubkey: key(1) }).output!],
    ['p2pkh (uncompressed key)', script(push(sig), push(uncompressed(2))), [], payments.p2pkh({ pubkey: uncompressed(2) }).output!],
    ['p2wpkh', Buffer.alloc(0), [sig, key(3)], payments.p2wpkh({ pubkey: key(3) }).output!],
    ['p2sh-p2wpkh', push(payments.p2wpkh({ pubkey: key(4) }).output!), [sig, key(4)], payments.p2sh({ redeem: payments.p2wpkh({ pubkey: key(4) }) }).output!],
    ['p2sh-p2wsh (2-of-3)', push(payments.p2wsh({ redeem: multisig }).output!), [Buffer.alloc(0), sig, sig, multisig.output!], payments.p2sh({ redeem: payments.p2wsh({ redeem: multisig }) }).output!],
    ['p2sh multisig (2-of-3)', script(Buffer.from([0]), push(sig), push(sig), push(multisig.output!)), [], payments.p2sh({ redeem: multisig }).output!],
    ['p2wsh multisig (2-of-3)', Buffer.alloc(0), [Buffer.alloc(0), sig, sig, multisig.output!], payments.p2wsh({ redeem: multisig }).output!],
  ])('default: %s gives the address of the output it spends', (_kind, scriptSig, witness, prevOutput) => {
    expect(spentAddress(scriptSig, witness as Buffer[], network)?.address).toBe(addressOf(prevOutput));
  });
  test.each([
    ['p2pk (a signature only)', push(sig), []],
    ['bare multisig (signatures only)', script(Buffer.from([0]), push(sig), push(sig)), []],
    ['taproot key path (one Schnorr signature)', Buffer.alloc(0), [Buffer.alloc(64, 5)]],
    ['a nested P2WPKH whose key does not hash to its program', push(payments.p2wpkh({ pubkey: key(4) }).output!), [sig, key(5)]],
    ['a scriptSig with a non-push opcode', script(push(sig), Buffer.from([0x76]), push(key(1))), []],
  ])('behavior: %s reveals no address', (_kind, scriptSig, witness) => {
    expect(spentAddress(scriptSig, witness as Buffer[], network)).toBeNull();
  });
});

const BLOCK = 'data/bitcoin/raw-blocks/btcd-block277647.dat.bz2';
const UTXOS = 'data/bitcoin/raw-blocks/btcd-block277647.utxostore.bz2';
describe.skipIf(!hasShared(BLOCK) || !hasShared(UTXOS))(needs(UTXOS, 'block 277647 with the outputs it spends'), () => {
  test('behavior: every input address derived from spending data equals the one its previous output gives', () => {
    const units = [...decodeInput(openInput(shared(BLOCK)), 'blk', { heightOf: () => null, hasBlock: () => false })];
    const txs: UtxoTransaction[] = units.flatMap((u) => u.transactions);
    const derived = txs.flatMap((t) => t.inputs.filter((i) => !i.coinbase).map((i) => i.address));
    resolveFromUtxos(txs, readUtxoStore(openInput(shared(UTXOS)).all(), network));
    const resolved = txs.flatMap((t) => t.inputs.filter((i) => !i.coinbase).map((i) => i.address ?? i.scriptId));
    const pairs = derived.map((d, n) => [d, resolved[n]] as const);
    const withDerived = pairs.filter(([d]) => d !== null);
    expect(pairs).toHaveLength(732);
    // The block (2013) spends P2PKH and P2SH outputs; every P2PKH spend and every P2SH multisig spend reveals its
    // address; the rest are P2PK spends (a signature, no key).
    expect(withDerived.length).toBeGreaterThan(700);
    expect(withDerived.filter(([d, r]) => d !== r)).toEqual([]);
    for (const [d, r] of pairs) if (d === null) expect(r).toMatch(/^(p2pk:|script:|3)/);
  });
});
