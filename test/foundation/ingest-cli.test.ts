import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { dump } from '../support/store.js';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

const PEEL = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
const RAW = 'data/bitcoin/raw-blocks/block413567.raw';
const GENESIS = 'data/bitcoin/core-getblock/genesis.hex';

function storeDump(db: string): string {
  const s = openSqliteStore(db, { readonly: true });
  try {
    return dump(s);
  } finally {
    s.close();
  }
}

/** One line on stderr, nothing on stdout, the exit code given. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^ctrace: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(!hasShared(PEEL) || !hasShared(RAW))(needs(RAW, 'ctrace ingest, stats and show through the built binary'), () => {
  const dir = tempDir();
  const db = join(dir, 'case.db');

  beforeAll(() => {
    const r = ctrace(['--db', db, 'ingest', shared(PEEL)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stored 255 blocks and 262 transactions/);
  });

  it('default: stats --json has the documented numbers', () => {
    const r = ctrace(['--db', db, '--json', 'stats']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ blocks: 255, transactions: 262, addresses: 262, unresolvedInputs: 0, internalTransfers: 0, tokenTransfers: 0 });
    expect(ctrace(['--db', db, '--json', 'stats']).stdout).toBe(r.stdout);
  });

  it('default: show tx --json follows the public contract', () => {
    const r = ctrace(['--db', db, '--json', 'show', 'tx', 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16']);
    expect(r.code).toBe(0);
    const tx = JSON.parse(r.stdout);
    expect(tx).toMatchObject({ chain: 'bitcoin', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', fee: '0' });
    expect(tx.block.height).toBe(170);
    expect(tx.inputs).toEqual([expect.objectContaining({ prevTxid: '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', prevVout: 0, address: null, scriptId: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', value: '5000000000' })]);
    expect(tx.outputs).toEqual([
      { index: 0, address: null, scriptId: 'p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3', scriptType: 'p2pk', value: '1000000000', spentBy: null },
      { index: 1, address: null, scriptId: 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', scriptType: 'p2pk', value: '4000000000', spentBy: { txid: 'a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be', inputIndex: 0 } },
    ]);
  });

  it('default: show address follows a P2PKH address to its key\'s pay-to-pubkey outputs', () => {
    const text = ctrace(['--db', db, 'show', 'address', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/6 transactions, received 195 BTC, sent 177 BTC, balance 18 BTC/);
    const json = JSON.parse(ctrace(['--db', db, '--json', 'show', 'address', 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S']).stdout);
    expect(json).toMatchObject({ chain: 'bitcoin', transactions: 6, received: '19500000000', sent: '17700000000', balance: '1800000000' });
    expect(json.history[0]).toMatchObject({ txid: '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', blockHeight: 9, received: '5000000000', sent: '0' });
  });

  it('error: show of what is not there, or is not an id', () => {
    expectOneLineError(ctrace(['--db', db, 'show', 'tx', 'ab'.repeat(32)]), 1, /is not in .*ingest or fetch it first/);
    expectOneLineError(ctrace(['--db', db, 'show', 'tx', 'xyz']), 2, /is not a bitcoin transaction id: expected 64 hex digits/);
    expectOneLineError(ctrace(['--db', db, 'show', 'address', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3X']), 2, /not a base58check address with a valid checksum/);
    expectOneLineError(ctrace(['--db', db, 'show', 'tx', 'ab'.repeat(32), '--chain', 'bitcoinz']), 2, /unknown chain "bitcoinz"/);
    expectOneLineError(ctrace(['--db', join(dir, 'nope.db'), 'stats']), 4, /no case store at .*nope.db/);
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
    const notAStore = join(dir, 'notes.db');
    writeFileSync(notAStore, 'these are my notes, not a database\n'.repeat(200));
    expectOneLineError(ctrace(['--db', notAStore, 'stats']), 4, /is not a cryptotrace case store/);
    expectOneLineError(ctrace(['--db', notAStore, 'ingest', shared(PEEL)]), 4, /is not a cryptotrace case store/);
  });

  describe('error: bad input gives one line, a non-zero exit, and an unchanged store', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    const raw = hasShared(RAW) ? readFileSync(shared(RAW)) : Buffer.alloc(0);
    const cases: [string, () => string, RegExp][] = [
      ['a truncated block', () => write('truncated.raw', raw.subarray(0, 300_000)), /truncated.raw: not a valid block.*truncated/],
      ['blk framing with a wrong magic', () => write('wrongmagic.dat', Buffer.concat([Buffer.from('deadbeef', 'hex'), u32(raw.length), raw])), /network magic deadbeef is not one of a known chain/],
      ['a flipped byte in a transaction', () => write('flipped.raw', flip(raw, raw.length - 100)), /merkle root that does not match its transactions/],
      ['an empty file', () => write('empty.dat', Buffer.alloc(0)), /empty.dat is empty/],
      ['a directory', () => bad, /is a directory/],
      ['a missing file', () => join(bad, 'missing.dat'), /missing.dat: no such file/],
      ['bytes that are nothing known', () => write('noise.bin', Buffer.from('00ff'.repeat(500), 'hex')), /not a block, transaction, blk\*\.dat file or known JSON export/],
      ['truncated JSON', () => write('cut.json', Buffer.from('{"hash": "00", "tx": [')), /does not parse|invalid JSON/],
    ];
    function write(name: string, bytes: Buffer): string {
      const p = join(bad, name);
      writeFileSync(p, bytes);
      return p;
    }

    it.each(cases)('%s', (_name, make, pattern) => {
      const before = storeDump(db);
      expectOneLineError(ctrace(['--db', db, 'ingest', make()]), 2, pattern);
      expect(storeDump(db)).toBe(before);
    });

    it('a missing file among good ones: nothing is ingested', () => {
      const fresh = join(dir, 'fresh.db');
      expectOneLineError(ctrace(['--db', fresh, 'ingest', shared(PEEL), join(bad, 'missing.dat')]), 2, /missing.dat: no such file/);
      expect(existsSync(fresh)).toBe(false);
    });
  });

  it.skipIf(!hasShared(GENESIS))('default: hex text and an explicit --format', () => {
    const other = join(dir, 'hex.db');
    const hexFile = join(dir, 'genesis.txt');
    copyFileSync(shared(GENESIS), hexFile);
    const r = ctrace(['--db', other, '--json', 'ingest', hexFile]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ format: 'hex-block', blocks: 1, transactions: 1 });
    const forced = ctrace(['--db', other, 'ingest', '--format', 'raw-tx', hexFile]);
    expect(forced.code).toBe(2);
    expectOneLineError(ctrace(['--db', other, 'ingest', '--format', 'nope', hexFile]), 2, /unknown --format "nope"/);
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}
