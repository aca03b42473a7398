import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInput, openSqliteStore, readBlkFrames, rebuildClusters } from '@cryptotrace/adapters';
import { ctrace, tempDir } from '../support/cli.js';
import { ROOT } from '../support/shared.js';

const MARKET = join(ROOT, 'fixtures/scenarios/darknet-market/blk00000.dat');

/** The built-in darknet-market chain cut in two blk files: the first `n` blocks, and the rest. */
function split(dir: string, n: number): [string, string] {
  const input = openInput(MARKET);
  const frames = [...readBlkFrames(input.readAt, input.size, MARKET)];
  const frame = (f: (typeof frames)[number]) => {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(f.bytes.length);
    return Buffer.concat([Buffer.from(f.chain.network!.magic, 'hex'), len, f.bytes]);
  };
  const first = join(dir, 'first.dat');
  const rest = join(dir, 'rest.dat');
  writeFileSync(first, Buffer.concat(frames.slice(0, n).map(frame)));
  writeFileSync(rest, Buffer.concat(frames.slice(n).map(frame)));
  return [first, rest];
}

describe('ingest keeps stored clusters up to date', () => {
  it('behavior: after a rebuild, an ingest clusters what it added, and gives the clusters a rebuild would', () => {
    const dir = tempDir();
    const [first, rest] = split(dir, 20);
    const db = join(dir, 'case.db');
    const once = ctrace(['--db', db, '--json', 'ingest', first]);
    expect(JSON.parse(once.stdout).clustersUpdated).toBeUndefined(); // never clustered: left alone
    expect(ctrace(['--db', db, 'cluster', 'rebuild']).code).toBe(0);

    const r = ctrace(['--db', db, '--json', 'ingest', rest]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.clustersUpdated).toHaveLength(1);
    expect(out.clustersUpdated[0]).toMatchObject({ chain: 'bitcoin-regtest' });
    expect(out.clustersUpdated[0].transactions).toBeGreaterThanOrEqual(out.transactions);
    expect(out.clustersUpdated[0].links['multi-input']).toBeGreaterThan(0);

    const members = (path: string) => {
      const s = openSqliteStore(path, { readonly: true });
      const rows = s.db.prepare(`SELECT a.address, c.address AS root FROM cluster_members m JOIN addresses a ON a.id = m.address_id
        JOIN addresses c ON c.id = m.cluster_id ORDER BY a.address`).all() as { address: string; root: string }[];
      expect(s.db.prepare('SELECT last_tx_id FROM cluster_runs').pluck().get()).toBe(s.db.prepare('SELECT max(id) FROM txs').pluck().get());
      s.close();
      // The same partition, whichever address happens to be each cluster's root.
      const byRoot = new Map<string, string[]>();
      for (const m of rows) byRoot.set(m.root, [...(byRoot.get(m.root) ?? []), m.address]);
      return [...byRoot.values()].map((c) => c.join(',')).sort();
    };
    const whole = join(dir, 'whole.db');
    expect(ctrace(['--db', whole, 'ingest', MARKET]).code).toBe(0);
    expect(ctrace(['--db', whole, 'cluster', 'rebuild']).code).toBe(0);
    expect(members(db)).toEqual(members(whole));
  });
});

describe('a cluster rebuild stopped before its end', () => {
  it('behavior: suspects and trace say the clusters are unfinished (not silently ranking addresses) until a rebuild finishes', () => {
    const dir = tempDir();
    const out = join(dir, 'world');
    expect(ctrace(['generate', 'darknet-market', '--txs', '300', '--out', out, '--no-model']).code).toBe(0);
    const db = join(dir, 'case.db');
    expect(ctrace(['--db', db, 'ingest', join(out, 'blk00000.dat')]).code).toBe(0);
    expect(ctrace(['--db', db, 'cluster', 'rebuild']).code).toBe(0);
    const source = (() => {
      const s = openSqliteStore(db, { readonly: true });
      const a = s.db.prepare("SELECT address FROM addresses WHERE address LIKE 'bcrt1%' ORDER BY id LIMIT 1").pluck().get() as string;
      s.close();
      return a;
    })();
    const run = (cmd: string[]) => ctrace(['--db', db, ...cmd, '--as-of', '2026-01-01T00:00:00Z']);
    expect(run(['suspects', '--source', source]).stderr).toBe('');
    // The rebuild dies after its first commit, as a kill -9 there would leave it (membership is written at its end).
    const store = openSqliteStore(db);
    expect(() => rebuildClusters(store, 'bitcoin-regtest', undefined, { chunkSize: 10, onProgress: () => { throw new Error('killed'); } })).toThrow('killed');
    store.close();
    const note = 'note: the clusters of bitcoin-regtest are unfinished (a cluster rebuild was stopped before its end): wallets are single addresses here until `ctrace cluster rebuild --chain bitcoin-regtest` is run again\n';
    for (const cmd of [['suspects', '--source', source], ['trace', source]]) {
      const r = run(cmd);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(note);
    }
    expect(ctrace(['--db', db, 'cluster', 'rebuild']).code).toBe(0);
    expect(run(['suspects', '--source', source]).stderr).toBe('');
  });
});
