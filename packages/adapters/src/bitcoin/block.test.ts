import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBlock, merkleRootOf } from '@cryptotrace/adapters';
import { CtraceError, getChain } from '@cryptotrace/core';
import { hasShared, needs, shared } from '../../../../test/support/shared.js';

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
