import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { toChecksumAddress } from '@cryptotrace/core';
// A test helper of the core's own tests, not part of its public API.
import { makeTx } from '../../packages/core/src/heuristics/cluster/test-tx.js';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs } from '../support/shared.js';
import { BTCD_BLOCKS, btcdStore } from './stores.js';

/*
 * One resolver for address and txid arguments (packages/cli/src/commands/resolve.ts): the same text finds the same
 * record in every command, and a record the store does not hold is exit 1 with one line, in every command.
 */

const id = (n: number) => n.toString(16).padStart(64, '0');
// Two keys the store holds only as pay-to-pubkey coins (stored as p2pk:<the key's P2PKH address>).
const KEY1 = '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S';
const KEY2 = '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3';
const P2PKH = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const P2WPKH = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const P2TR = 'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297';
const UNKNOWN = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const MISSING_TX = id(0xdead);

const evm = (n: number) => toChecksumAddress(`0x${n.toString(16).padStart(40, '0')}`);
const OWNER = evm(0xa11ce);
const SPENDER = evm(0xb0b);
const TOKEN = evm(0x70c3);
const SHOP = evm(0x5409);

let db: string;
let evmDb: string;
beforeAll(() => {
  const dir = tempDir();
  db = join(dir, 'case.db');
  const store = openSqliteStore(db, { create: true });
  const provenance = { source: 'file', locator: 'test', format: 'test', at: '2026-01-01T00:00:00Z' };
  const holders = [`p2pk:${KEY1}`, `p2pk:${KEY2}`, P2PKH, P2SH, P2WPKH, P2TR];
  store.write({
    provenance,
    utxoTransactions: [
      makeTx({ txid: id(1), coinbase: true, outs: holders.map((h) => [h, 1_000]), height: 1 }),
      // One spend of all six: multi-input links every holder.
      makeTx({ txid: id(2), ins: holders.map((h) => [h, 1_000]), spends: holders.map((_, k) => `${id(1)}:${k}`), outs: [['1dice97ECuByXAvqXpaYzSaQuPVvrtmz6', 5_900]], height: 2 }),
    ],
  });
  store.close();

  // EVM: OWNER calls the token (its approve), then SPENDER moves OWNER's tokens (transferFrom): self-approval.
  evmDb = join(dir, 'evm.db');
  const e = openSqliteStore(evmDb, { create: true });
  const base = { chain: 'ethereum', blockHash: `0x${'b1'.repeat(32)}`, blockTime: 1_700_000_000, nonce: 0, fee: 21_000n, status: 'success' as const, contractAddress: null, internalTransfers: [] };
  e.write({
    provenance,
    accountTransactions: [
      { ...base, hash: `0x${id(1)}`, blockNumber: 100, position: 0, from: OWNER, to: TOKEN, value: 0n, tokenTransfers: [] },
      { ...base, hash: `0x${id(2)}`, blockNumber: 101, position: 0, from: SPENDER, to: TOKEN, value: 0n, tokenTransfers: [{ token: TOKEN, from: OWNER, to: SHOP, value: 5n, logIndex: 0 }] },
    ],
  });
  e.close();
});

describe('cluster why resolves its arguments as every other command does', () => {
  it('behavior: two keys held only as pay-to-pubkey coins are found by their P2PKH addresses, with or without --chain', () => {
    for (const chain of [[], ['--chain', 'bitcoin']]) {
      const r = ctrace(['--db', db, '--json', 'cluster', 'why', KEY1, KEY2, ...chain]);
      expect(r.stderr.replace(/^clustered .*\n/, '')).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ linked: true, evidence: [{ rule: 'multi-input', version: 1, txid: id(2), confidence: 1, from: `p2pk:${KEY1}`, to: `p2pk:${KEY2}` }] });
    }
    // The same text finds the same holder in show and cluster.
    expect(JSON.parse(ctrace(['--db', db, '--json', 'show', 'address', KEY2]).stdout).address).toBe(`p2pk:${KEY2}`);
    expect(JSON.parse(ctrace(['--db', db, '--json', 'cluster', KEY2]).stdout).size).toBe(6);
  });

  it.each([
    ['P2PKH', P2PKH, P2PKH],
    ['P2SH', P2SH, P2SH],
    ['P2WPKH', P2WPKH, P2WPKH],
    ['P2WPKH in upper case', P2WPKH.toUpperCase(), P2WPKH],
    ['P2TR', P2TR, P2TR],
    ['P2PK (written as p2pk:)', `p2pk:${KEY2}`, `p2pk:${KEY2}`],
  ])('behavior: why links a P2PK key to a %s address', (_name, arg, stored) => {
    for (const [a, b] of [[KEY1, arg], [arg, KEY1]]) {
      const r = ctrace(['--db', db, '--json', 'cluster', 'why', a, b]);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.linked).toBe(true);
      const ends = [j.evidence[0].from, j.evidence.at(-1).to];
      expect(ends).toEqual(a === KEY1 ? [`p2pk:${KEY1}`, stored] : [stored, `p2pk:${KEY1}`]);
    }
  });

  it('behavior: EVM addresses in any case resolve to their EIP-55 form', () => {
    const r = ctrace(['--db', evmDb, '--json', 'cluster', 'why', OWNER.toLowerCase(), SPENDER]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ linked: true, evidence: [{ rule: 'self-approval', from: OWNER, to: SPENDER }] });
    const not = JSON.parse(ctrace(['--db', evmDb, '--json', 'cluster', 'why', OWNER, SHOP.toLowerCase()]).stdout);
    expect(not).toEqual({ linked: false, evidence: [], guarded: [] });
  });

  it('error: an address the store does not hold is exit 1, naming it; a malformed one exit 2', () => {
    const r = ctrace(['--db', db, 'cluster', 'why', KEY1, UNKNOWN]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ctrace: address ${UNKNOWN} has no transactions in ${db} (bitcoin): ingest or fetch them first\n`);
    const bad = ctrace(['--db', db, 'cluster', 'why', KEY1, `${P2PKH.slice(0, -1)}b`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('not found is never a clean answer', () => {
  const notTx = (txid: string) => `ctrace: transaction ${txid} is not in ${db} (bitcoin): ingest or fetch it first\n`;
  const notAddress = (a: string) => `ctrace: address ${a} has no transactions in ${db} (bitcoin): ingest or fetch them first\n`;
  const cases: [string, () => string[], () => string][] = [
    ['trace <txid>', () => ['trace', MISSING_TX], () => notTx(MISSING_TX)],
    ['trace <txid>:<vout>', () => ['trace', `${MISSING_TX}:0`], () => notTx(MISSING_TX)],
    ['trace <txid>:<vout> of an output the transaction does not have', () => ['trace', `${id(2)}:5`], () => `ctrace: transaction ${id(2)} (bitcoin) has no output 5: it has 1 (0 to 0)\n`],
    ['trace <address>', () => ['trace', UNKNOWN], () => notAddress(UNKNOWN)],
    ['trace --direction in <txid>', () => ['trace', MISSING_TX, '--direction', 'in'], () => notTx(MISSING_TX)],
    ['show tx', () => ['show', 'tx', MISSING_TX], () => notTx(MISSING_TX)],
    ['show address', () => ['show', 'address', UNKNOWN], () => notAddress(UNKNOWN)],
    ['export dot <txid>', () => ['export', 'dot', MISSING_TX], () => notTx(MISSING_TX)],
    ['export dot <address>', () => ['export', 'dot', UNKNOWN], () => notAddress(UNKNOWN)],
    ['export html --trace <txid>', () => ['export', 'html', '--trace', MISSING_TX, '-o', join(tempDir(), 'r.html')], () => notTx(MISSING_TX)],
    ['export gexf --cluster <address>', () => ['export', 'gexf', '--cluster', UNKNOWN], () => notAddress(UNKNOWN)],
    ['cluster <address>', () => ['cluster', UNKNOWN], () => notAddress(UNKNOWN)],
    ['suspects --source <txid>', () => ['suspects', '--source', MISSING_TX], () => notTx(MISSING_TX)],
    ['suspects --source <txid>:<vout>', () => ['suspects', '--source', `${MISSING_TX}:1`], () => notTx(MISSING_TX)],
    ['suspects --source <address>', () => ['suspects', '--source', UNKNOWN], () => notAddress(UNKNOWN)],
  ];
  it.each(cases)('error: %s is exit 1 with one line', (_name, argv, line) => {
    for (const json of [[], ['--json']]) {
      const r = ctrace(['--db', db, ...json, ...argv()]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(line());
      expect(r.code).toBe(1);
    }
  });

  it('behavior: the same commands on what the store holds exit 0', () => {
    for (const argv of [['trace', id(1)], ['trace', `${id(1)}:3`], ['trace', KEY1], ['show', 'tx', id(2)], ['suspects', '--source', id(1)], ['export', 'dot', id(2)]]) {
      const r = ctrace(['--db', db, ...argv]);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('error: a word that is not an address, a txid or a label category is bad input (2), not "no address labelled"', () => {
    const r = ctrace(['--db', db, 'trace', 'notanaddress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ctrace: "notanaddress" is not an address, a txid or a label category (write category:notanaddress to name a category anyway; "ctrace labels list --summary" lists the stored ones)\n');
    // A known category that no stored label carries is a finding: nothing labelled so.
    const c = ctrace(['--db', db, 'trace', 'ransomware']);
    expect(c.code).toBe(1);
    expect(c.stderr).toBe('ctrace: no source on bitcoin: no address labelled ransomware (import labels with "ctrace labels import")\n');
  });
});

describe.skipIf(!hasShared(BTCD_BLOCKS))(needs(BTCD_BLOCKS, 'the resolver on mainnet blocks 1-255'), () => {
  it('behavior: cluster why finds both keys of block 170 by their P2PKH addresses, as show and cluster do', () => {
    const real = btcdStore(tempDir());
    const r = ctrace(['--db', real, '--json', 'cluster', 'why', KEY1, KEY2]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ linked: false });
    expect(ctrace(['--db', real, 'cluster', 'why', KEY1, KEY2, '--chain', 'bitcoin']).stdout).toBe(`p2pk:${KEY1} and p2pk:${KEY2} are not linked (clusters of 1 and 1 addresses)\n`);
  });
});
