import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { ctrace, tempDir } from '../support/cli.js';

// Address arguments the same everywhere: a bech32 address in upper case (BIP173 allows it) names the same address
// in trace as in labels import, and a bad bech32 address is reported as bech32, not as a bad base58check address.
describe('bech32 address arguments', () => {
  let dir: string;
  let db: string;
  let address: string;
  beforeAll(() => {
    dir = tempDir();
    const out = join(dir, 'world');
    expect(ctrace(['generate', 'darknet-market', '--txs', '300', '--out', out, '--no-model']).code).toBe(0);
    db = join(dir, 'case.db');
    expect(ctrace(['--db', db, 'ingest', join(out, 'blk00000.dat')]).code).toBe(0);
    const store = openSqliteStore(db, { readonly: true });
    address = store.db.prepare("SELECT address FROM addresses WHERE address LIKE 'bcrt1q%' ORDER BY id LIMIT 1").pluck().get() as string;
    store.close();
  });

  it('default: trace takes an upper-case bech32 address as labels import does', () => {
    const lower = ctrace(['--db', db, '--json', 'trace', address, '--as-of', '2026-01-01T00:00:00Z']);
    expect(lower.code, lower.stderr).toBe(0);
    const upper = ctrace(['--db', db, '--json', 'trace', address.toUpperCase(), '--as-of', '2026-01-01T00:00:00Z']);
    expect(upper.code, upper.stderr).toBe(0);
    // The same walk; only the target echoes the argument as typed.
    expect({ ...JSON.parse(upper.stdout), target: null }).toEqual({ ...JSON.parse(lower.stdout), target: null });
    expect(JSON.parse(lower.stdout).flow.length).toBeGreaterThan(0);
    writeFileSync(join(dir, 'l.csv'), `chain,address,category,source,confidence\nbitcoin-regtest,${address.toUpperCase()},market,me,90\n`);
    expect(ctrace(['--db', db, 'labels', 'import', join(dir, 'l.csv')]).code).toBe(0);
    expect(JSON.parse(ctrace(['--db', db, '--json', 'labels', 'show', address.toUpperCase()]).stdout)[0]).toMatchObject({ address, category: 'market' });
  });

  it.each([
    ['trace', 'a wrong checksum', (a: string) => ['trace', `${a.slice(0, -1)}${a.endsWith('q') ? 'p' : 'q'}`], /is not a bitcoin-regtest address: bech32 checksum is wrong$/],
    ['fetch', 'another chain\'s prefix', () => ['fetch', 'bitcoin', 'address', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', '--offline'], /is not a bitcoin address: its bech32 prefix "tb" is bitcoin-testnet's, not bitcoin's$/],
    ['trace', 'an unknown prefix', () => ['trace', 'zz1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'], /is not a bitcoin address: its bech32 prefix "zz" is not bitcoin's \("bc"\)$/],
  ])('error: %s: %s is one line about bech32, not base58check, exit 2', (_cmd, _name, make, message) => {
    const r = ctrace(['--db', db, ...make(address)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr).not.toContain('base58check');
  });
});
