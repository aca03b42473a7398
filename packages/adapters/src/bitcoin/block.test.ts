import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBlock, merkleRootOf } from '@cryptotrace/adapters';
import { CtraceError, getChain } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';
import { hash256Of } from './hashes.js';
import { checkBlockHeader, headerBytes, targetOfBits } from './pow.js';

const bitcoin = getChain('bitcoin');
const RAW = 'data/bitcoin/raw-blocks/block413567.raw';
const GOLDEN = 'data/bitcoin/core-getblock';

describe.skipIf(!hasShared(RAW))(needs(RAW, 'block 413567 (raw wire format)'), () => {
  const bytes = hasShared(RAW) ? readFileSync(shared(RAW)) : Buffer.alloc(0);

  it('default: hash, merkle root, transaction count and every txid', () => {
    const block = decodeBlock(bytes, bitcoin, { where: RAW });
    expect(block.header.hash).toBe('0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069');
    expect(block.header.height).toBe(413567); // BIP34, from the coinbase
    expect(block.transactions).toHaveLength(1557);
    // Every txid recomputed from its bytes: together they must hash to the merkle root the header commits to.
    expect(merkleRootOf(block.transactions.map((t) => t.txid))).toBe(block.header.merkleRoot);
    expect(new Set(block.transactions.map((t) => t.txid)).size).toBe(1557);
    expect(block.transactions[0].inputs[0].coinbase).toBe(true);
  });

  it('error: a flipped byte inside a transaction breaks the merkle root', () => {
    const bad = Buffer.from(bytes);
    bad[bad.length - 40] ^= 0xff;
    expect(() => decodeBlock(bad, bitcoin, { where: 'flipped.raw' })).toThrow(/merkle root that does not match/);
  });

  it('error: a truncated block does not parse', () => {
    try {
      decodeBlock(bytes.subarray(0, 5000), bitcoin, { where: 'truncated.raw' });
      expect.unreachable();
    } catch (err) {
      expect((err as CtraceError).code).toBe('INPUT_MALFORMED');
      expect((err as CtraceError).shortMessage).toMatch(/^truncated.raw: not a valid block/);
    }
  });
});

interface CoreSpk { type: string; address?: string; addresses?: string[]; hex: string }
interface CoreTx { txid: string; size: number; vsize: number; version: number; locktime: number; vin: { coinbase?: string; txid?: string; vout?: number; sequence: number }[]; vout: { value: number; n: number; scriptPubKey: CoreSpk }[] }

/** The address Core prints for an output: `address`, or the single entry of the older `addresses`, never for bare multisig. */
function coreAddress(spk: CoreSpk): string | null {
  if (spk.address) return spk.address;
  if (spk.type !== 'multisig' && spk.addresses?.length === 1) return spk.addresses[0];
  return null;
}

describe.skipIf(!hasShared(GOLDEN))(needs(GOLDEN, "Bitcoin Core's getblock JSON as the decode oracle"), () => {
  const pairs = hasShared(GOLDEN) ? readdirSync(shared(GOLDEN)).filter((f) => f.endsWith('.hex')).map((f) => f.slice(0, -4)) : [];

  it('default: the shared data holds the pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(20);
  });

  it.each(pairs)('behavior: %s decodes as Core decoded it', (name) => {
    const hex = readFileSync(shared(`${GOLDEN}/${name}.hex`), 'utf8').trim();
    const core = JSON.parse(readFileSync(shared(`${GOLDEN}/${name}.json`), 'utf8')) as { hash: string; height: number; tx: CoreTx[] };
    const block = decodeBlock(Buffer.from(hex, 'hex'), bitcoin, { where: name });
    expect(block.header.hash).toBe(core.hash);
    expect(block.transactions.map((t) => t.txid)).toEqual(core.tx.map((t) => t.txid));
    block.transactions.forEach((tx, k) => {
      const c = core.tx[k];
      // Core prints the version as int32; the model keeps the wire's uint32.
      expect([tx.size, tx.vsize, tx.version, tx.locktime]).toEqual([c.size, c.vsize, c.version >>> 0, c.locktime]);
      expect(tx.outputs.map((o) => [o.index, o.value.toString(), o.address])).toEqual(
        c.vout.map((o) => [o.n, String(Math.round(o.value * 1e8)), coreAddress(o.scriptPubKey)]),
      );
      expect(tx.inputs.map((i) => (i.coinbase ? ['coinbase', i.sequence] : [i.prevTxid, i.prevVout, i.sequence]))).toEqual(
        c.vin.map((i) => (i.coinbase ? ['coinbase', i.sequence] : [i.txid, i.vout, i.sequence])),
      );
    });
  });
});

describe('proof of work: a header must meet the target its own bits state', () => {
  it('default: compact bits decode as Bitcoin Core does', () => {
    expect(targetOfBits(0x1d00ffff)).toBe(0xffffn << 208n);
    expect(targetOfBits(0x207fffff)).toBe(0x7fffffn << 232n);
    expect(targetOfBits(0x03123456)).toBe(0x123456n);
    expect(targetOfBits(0x01003456)).toBeNull();
    expect(targetOfBits(0x04923456)).toBeNull(); // the sign bit
    expect(targetOfBits(0)).toBeNull();
    expect(targetOfBits(0x23000001)).toBeNull(); // past 256 bits
  });

  it('default: Litecoin\'s work is scrypt: its mainnet genesis meets its hard target, which its double SHA-256 does not', () => {
    const ltc = getChain('litecoin');
    const genesis = { chain: 'litecoin', hash: ltc.network!.genesisHash, height: 0, time: 1317972665, prevHash: '0'.repeat(64), merkleRoot: '97ddfbbae6be97fd6cdf3e7ca13232a3afff2353e29badfab7f73011edd4ced9', version: 1, bits: 0x1e0ffff0, nonce: 2084524493, txCount: 1 };
    expect(() => checkBlockHeader(genesis, ltc, 'genesis')).not.toThrow();
    expect(BigInt(`0x${genesis.hash}`) > targetOfBits(genesis.bits)!).toBe(true);
    // The same header on a chain whose work is double SHA-256 is refused.
    expect(() => checkBlockHeader(genesis, { ...ltc, network: { ...ltc.network!, pow: 'sha256d' } }, 'genesis')).toThrow(/does not meet its own target \(bits 0x1e0ffff0\)/);
  });

  it('default: a regtest header (bits 0x207fffff) whose hash meets that easy target passes', () => {
    const h = { chain: 'bitcoin-regtest', hash: '', height: 1, time: 1_700_000_000, prevHash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', merkleRoot: 'ab'.repeat(32), version: 0x20000000, bits: 0x207fffff, nonce: 0, txCount: 1 };
    // Grind the nonce as a regtest node does.
    for (;; h.nonce++) {
      h.hash = Buffer.from(hash256Of(headerBytes(h))).reverse().toString('hex');
      if (BigInt(`0x${h.hash}`) <= targetOfBits(h.bits)!) break;
    }
    expect(() => checkBlockHeader(h, getChain('bitcoin-regtest'), 'test')).not.toThrow();
  });
});

describe.skipIf(!hasShared(RAW))(needs(RAW, 'proof of work on mainnet block 413567 (raw wire format)'), () => {
  const bytes = hasShared(RAW) ? readFileSync(shared(RAW)) : Buffer.alloc(0);

  it('default: the real block meets its target', () => {
    expect(decodeBlock(bytes, bitcoin, { where: RAW }).header.bits).toBe(0x18058436);
  });

  it.each([
    ['another nonce (the work is gone)', (b: Buffer) => b.writeUInt32LE((b.readUInt32LE(76) + 1) >>> 0, 76)],
    ['a harder target than the work done', (b: Buffer) => b.writeUInt32LE(0x17000001, 72)],
  ])('error: %s is refused: the header does not meet its own bits', (_name, forge) => {
    const bad = Buffer.from(bytes);
    forge(bad);
    expect(() => decodeBlock(bad, bitcoin, { where: 'forged.raw' })).toThrow(/^forged\.raw: block [0-9a-f]{64} does not meet its own target \(bits 0x[0-9a-f]+\): its proof of work is missing or forged; nothing of it was stored$/);
  });
});

describe.skipIf(!hasShared(GOLDEN))(needs(GOLDEN, 'proof of work on the mainnet getblock answers'), () => {
  it('default: every saved mainnet block meets its target; the same header with easier bits does not hash to its id', () => {
    const files = readdirSync(shared(GOLDEN)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const json = JSON.parse(readFileSync(shared(`${GOLDEN}/${f}`), 'utf8'));
      const header = { chain: 'bitcoin', hash: json.hash, height: json.height, time: json.time, prevHash: json.previousblockhash ?? '0'.repeat(64), merkleRoot: json.merkleroot, version: json.version, bits: Number.parseInt(json.bits, 16), nonce: json.nonce, txCount: json.nTx };
      expect(() => checkBlockHeader(header, bitcoin, f)).not.toThrow();
      expect(() => checkBlockHeader({ ...header, bits: 0x207fffff }, bitcoin, f)).toThrow(/its header fields hash to [0-9a-f]{64}, not to its hash/);
    }
  });
});
