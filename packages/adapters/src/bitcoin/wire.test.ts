import { createHash } from 'node:crypto';
import { Block, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { decodeBlock, decodeCoreTx, decodeTransaction } from '@cryptotrace/adapters';
import { CtraceError, getChain, utxoNetwork } from '@cryptotrace/core';

// Two testnet transactions as Bitcoin Core's getrawtransaction printed them (txid, hash = wtxid, size, vsize): a
// segwit spend (one native P2WPKH input, one P2SH-P2WPKH input) and a segwit coinbase with its witness commitment.
const SEGWIT = {
  hex: '020000000001024f3a4bb8e13a809b6b8f2aae3be3e20513f858f57de4cd2db64a45596431b0640000000000feffffff08b142856484e2b6b7e7e6428ead70b3cb36f6646ad7f78adec80b48ed8d4a1701000000171600140414833e4405e7da83a6cd2f356e7c3ec3ac0537feffffff02760f19000000000017a91480e6aa18f40dd4d2ba78dd5bb1a0554ceaa72ddf8740420f000000000017a914045ffd330e4f26ebf47bd3e16552d2d04325b7fb8702473044022018e9fbe03f7d4c12fd42263cd48fbf9e4e2e029031ddba092373b45bb0e547b4022041662b62bbf3f8fecee729513f4d3ad3f79000baa197e5794f8ab56497af603a0121028ea940f2cffc5c924c991b56aed155386ef9af7ea6a537634bac47f31e0d7fb90247304402202b9f02518694bc95b4d1e960173917a028e9dc742efc0a909244cb910d2f631a0220671416f8b2f430cc69efefe681fa8806552e3b34426c145d39a4a0d09f65ce43012103353e471a155a144bd5c589805902ffdd1ad6448f7be4e16d21bf088816231b3c1c2b1800',
  txid: '5a8d8aebf733ec280d86787927eb76db2fc7381e13ca85422cfee94297f6f551',
  hash: 'f3e1bfc91e87699cd387d237ceb7d6cbf82c60acb8f54739352ee682bee985cd',
  size: 395,
  vsize: 233,
};
const COINBASE = {
  hex: '010000000001010000000000000000000000000000000000000000000000000000000000000000ffffffff30031e2b1800047de0b15d047c67f51d0c303d7f5d3609020000000000132f6d696e65642062792064657620706f6f6c2fffffffff02627565020000000017a914a30c149c2c5bd53ef9410c86b05c1374ca3b2841870000000000000000266a24aa21a9edf27ff9095c0c36e0141a32dc503640ac1bf3e06c83ba0f94a4ceed9c0da4c5d70120000000000000000000000000000000000000000000000000000000000000000000000000',
  txid: '61c07a5cbbf4cb97288d5a719b5b371d32022d94c7207aa53374d68c47df5614',
  hash: '9a81667ac3d3950e151af53befbfe2680da1d0cfd31cf0080999b343212bd208',
  size: 214,
  vsize: 187,
};
const LEGACY = '0100000001cb34eaf6672e41b1e6d1646c3d5575ddc5ef98a65f7d787ab21bcb150e293dcd000000006a473044022043025f3b127f4a7b29db3303063513a063ae954fcca8e3a35b73070bce903391022066e1d75bec3f0706397768179b017c8d606e0a8976a63560b6e082c1e18c8a51012103d78146bfab6d124f67c1e5aad77bdef20c4fd1f4f582c7281ef8e921da9d9347ffffffff020000000000000000536a4c5000007ef90002d6fd40ea98dcdfb778828790c15871ac99037a955dec18133fa3d43b30b8eaa3721e5f1994055bd7afc40a48a4e95db5ba470405f5e15ee6a9ccaefe9f1def97e3b8b2fd70ac171c8ec804320100000000001976a9145d55240f89e27331a9eb598cdc9273bfc7e65e3f88ac00000000';

const testnet = getChain('bitcoin-testnet');
const net = utxoNetwork(testnet);
const place = { chain: testnet.name, block: null, position: null };
const hex = (h: string) => Buffer.from(h, 'hex');
const displayHash256 = (b: Uint8Array) => Buffer.from(createHash('sha256').update(createHash('sha256').update(b).digest()).digest()).reverse().toString('hex');

/** A block built by bitcoinjs-lib (the reference): a BIP34 coinbase, with a witness commitment unless `commit` is false. */
function blockOf(txs: Transaction[], { commit = true } = {}): Buffer {
  const cb = new Transaction();
  cb.addInput(Buffer.alloc(32), 0xffffffff, 0xffffffff, hex('03e0930400'));
  cb.addOutput(hex(`0014${'66'.repeat(20)}`), 625_000_000n);
  if (commit) {
    cb.ins[0].witness = [Buffer.alloc(32)];
    cb.addOutput(hex(`6a24aa21a9ed${'00'.repeat(32)}`), 0n);
  }
  const all = [cb, ...txs];
  if (commit) cb.outs[1].script = Buffer.concat([hex('6a24aa21a9ed'), Block.calculateMerkleRoot(all, true)]);
  const b = new Block();
  // Testnet's easiest target would take minutes to meet: regtest's (0x207fffff), with the nonce ground as a regtest node does.
  Object.assign(b, { version: 0x20000000, prevHash: Buffer.alloc(32, 9), timestamp: 1_700_000_000, bits: 0x207fffff, nonce: 0, transactions: all });
  b.merkleRoot = Block.calculateMerkleRoot(all);
  const bytes = Buffer.from(b.toBuffer());
  while (displayHash256(bytes.subarray(0, 80)) >= '7fffff') bytes.writeUInt32LE(bytes.readUInt32LE(76) + 1, 76);
  return bytes;
}

const segwitBlock = blockOf([Transaction.fromHex(SEGWIT.hex), Transaction.fromHex(LEGACY)]);
const at = (tx: string) => segwitBlock.indexOf(hex(tx));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (!(err instanceof CtraceError)) throw err;
    if (err.code === 'INPUT_MALFORMED' && err.shortMessage.startsWith('w: not a valid block')) {
      expect(err.shortMessage).toMatch(/^w: not a valid block \([^\n]+\); the file may be truncated or not a block$/);
    }
    return err.code;
  }
  return 'ok';
}
const decode = (bytes: Uint8Array) => decodeBlock(bytes, testnet, { where: 'w' });

describe('segwit transactions against Core', () => {
  it.each([['spend', SEGWIT], ['coinbase', COINBASE]])('default: the %s has Core\'s txid, size and vsize; its wtxid differs', (_name, core) => {
    const tx = decodeTransaction(hex(core.hex), net, place);
    expect([tx.txid, tx.size, tx.vsize]).toEqual([core.txid, core.size, core.vsize]);
    expect(displayHash256(hex(core.hex))).toBe(core.hash);
    expect(core.hash).not.toBe(tx.txid);
  });

  it('default: a segwit block decodes, each transaction as it decodes alone', () => {
    const block = decode(segwitBlock);
    expect(block.header.height).toBe(300_000); // BIP34: 0x0493e0 pushed first in the coinbase
    expect(block.transactions.map((t) => t.txid).slice(1)).toEqual([SEGWIT.txid, decodeTransaction(hex(LEGACY), net, place).txid]);
    expect(block.transactions[1]).toEqual({ ...decodeTransaction(hex(SEGWIT.hex), net, place), block: block.transactions[1].block, position: 1 });
    expect(block.transactions[1].outputs.map((o) => [o.value, o.address])).toEqual([[1_642_358n, '2N4znogfhJ7t7JPCiqmpuxFcMn2rjtS9vsC'], [1_000_000n, '2MseMgVGF9kgVzpzMwP81e2qRpfoTTE2k6z']]);
  });
});

describe('malformed blocks', () => {
  const seg = at(SEGWIT.hex);
  const segEnd = seg + SEGWIT.hex.length / 2;
  it.each([
    ['truncated in the header', segwitBlock.subarray(0, 79), 'INPUT_MALFORMED'],
    ['a bare header', segwitBlock.subarray(0, 80), 'INPUT_MALFORMED'],
    ['truncated in an input', segwitBlock.subarray(0, seg + 6 + 1 + 20), 'INPUT_MALFORMED'],
    ['truncated in an output value', segwitBlock.subarray(0, segwitBlock.indexOf(hex('760f190000000000'), seg) + 3), 'INPUT_MALFORMED'],
    ['truncated in a witness', segwitBlock.subarray(0, segEnd - 40), 'INPUT_MALFORMED'],
    ['truncated in the locktime', segwitBlock.subarray(0, segwitBlock.length - 2), 'INPUT_MALFORMED'],
    ['a transaction count past the end', Buffer.concat([segwitBlock.subarray(0, 80), hex('ffffffffffffffff7f'), segwitBlock.subarray(81)]), 'INPUT_MALFORMED'],
    ['a script length past the end', patch(segwitBlock, at(LEGACY) + 41, 'fdffff'), 'INPUT_MALFORMED'],
    ['a count not in its shortest encoding', Buffer.concat([segwitBlock.subarray(0, 80), hex('fd0300'), segwitBlock.subarray(81)]), 'INPUT_MALFORMED'],
    ['a flipped merkle root', patch(segwitBlock, 40, 'ff'), 'INPUT_INCONSISTENT'],
    ['a flipped witness byte (wtxid, not txid, changes)', patch(segwitBlock, segEnd - 20, '00'), 'INPUT_INCONSISTENT'],
    ['bytes after the last transaction (ignored, as Block.fromBuffer ignored them)', Buffer.concat([segwitBlock, hex('00ff')]), 'ok'],
  ])('error: %s', (_name, bytes, code) => {
    expect(codeOf(() => decode(bytes))).toBe(code);
  });

  it('error: witnesses without a witness commitment', () => {
    const bytes = blockOf([Transaction.fromHex(SEGWIT.hex)], { commit: false });
    expect(codeOf(() => decode(bytes))).toBe('INPUT_INCONSISTENT');
    expect(codeOf(() => decode(blockOf([Transaction.fromHex(LEGACY)], { commit: false })))).toBe('ok');
  });

  it('error: CVE-2012-2459, the last transaction repeated gives the same merkle root', () => {
    const [a, b] = [Transaction.fromHex(LEGACY), Transaction.fromHex(LEGACY)];
    b.locktime = 1;
    const three = blockOf([a, b], { commit: false });
    const bHex = b.toBuffer();
    const four = Buffer.concat([three.subarray(0, 80), hex('04'), three.subarray(81), bHex]);
    expect(codeOf(() => decode(three))).toBe('ok');
    expect(four.subarray(36, 68)).toEqual(three.subarray(36, 68));
    expect(codeOf(() => decode(four))).toBe('INPUT_INCONSISTENT');
  });
});

describe('malformed transactions', () => {
  const bad = (h: string) => () => decodeTransaction(hex(h), net, place);
  it.each([
    ['cut in an input script', SEGWIT.hex.slice(0, 200), /^transaction: input script length 23 cannot fit in the 15 bytes left, at byte 85$/],
    ['cut in an output value', SEGWIT.hex.slice(0, 300), /^transaction: output value runs past the end of the 150 bytes, at byte 145$/],
    ['bytes after it', `${LEGACY}00`, /^transaction: 1 unexpected bytes after its end, at byte 283$/],
    ['the segwit marker with no witness item', `${LEGACY.slice(0, 8)}0001${LEGACY.slice(8, -8)}00${LEGACY.slice(-8)}`, /superfluous witness data/],
  ])('error: %s', (_name, h, message) => {
    expect(bad(h)).toThrow(message);
  });

  it.each([
    ['0432010000000000', 78_340n],
    ['ffffffffffffff7f', 9_223_372_036_854_775_807n],
    ['0100000000002000', 9_007_199_254_740_993n],
    ['feffffffffffffff', -2n],
  ])('behavior: output value bytes %s read as int64 %s', (le, value) => {
    const at8 = LEGACY.indexOf('0432010000000000');
    expect(decodeTransaction(hex(LEGACY.slice(0, at8) + le + LEGACY.slice(at8 + 16)), net, place).outputs[1].value).toBe(value);
  });

  it('error: decodeCoreTx gives one CtraceError line for hex that does not decode', () => {
    expect(codeOf(() => decodeCoreTx({ txid: SEGWIT.txid, hex: `${SEGWIT.hex}00`, vin: [], vout: [] }, testnet, 'f.json'))).toBe('INPUT_MALFORMED');
    expect(codeOf(() => decodeCoreTx({ txid: SEGWIT.hash, hex: SEGWIT.hex, vin: [], vout: [] }, testnet, 'f.json'))).toBe('INPUT_INCONSISTENT');
  });
});

function patch(bytes: Uint8Array, offset: number, with_: string): Buffer {
  const out = Buffer.from(bytes);
  out.set(hex(with_), offset);
  return out;
}
