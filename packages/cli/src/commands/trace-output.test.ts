import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ctrace, tempDir } from '../../../../test/support/cli.js';

// Runs the built binary: `pnpm build` (or tsc -b) first.
// A generated world (darknet-market, 3,000 transactions, seed taint-json: the generator's files are byte-identical for
// the same seed), clustered; the traces below are from its market's hot wallet.
const MARKET = 'bcrt1qsnkxph45tqkvtk38pydd4q28xt4f3xun5re8nc';
const AS_OF = ['--as-of', '2026-01-01T00:00:00Z'];
// sha256 and length of what `ctrace --json trace` printed for these traces at commit 593f59f, when it built the whole
// document before printing it: the streamed document must be the same bytes.
const BEFORE = {
  haircut: { args: [MARKET, '--policy', 'haircut', '--hops', '20', '--stop-at', 'none'], sha256: '9d13ac0a569609d05327ff31b14949e55d113cc016eaa8c17c68fb54f04e4802', bytes: 271658 },
  fifo: { args: [MARKET, '--policy', 'fifo', '--hops', '20'], sha256: 'dd6fdaf5e9b34b56fe6070f2bdba6ae991242a46043cc37fbc20a989e858ac77', bytes: 14373 },
  poison: { args: [MARKET, '--policy', 'poison', '--hops', '3'], sha256: '083e4a965bdb800daeb91de6f4e2e8e30b2233ca5e163a59a1dbc6300bcb5cfb', bytes: 207534 },
  backward: { args: ['9b91f0ce4791f7cc0502aa467c373f4884703a7445805bf65df9d7b3c0ff50f3:1', '--direction', 'in', '--policy', 'haircut', '--hops', '5'], sha256: '0c34ec90843c2f2ce7c17da7066b8457b3be1ddf01ecba401e895001217115b9', bytes: 126286 },
};

describe('ctrace trace output at scale: the JSON document streamed, NDJSON records', () => {
  let db: string;
  beforeAll(() => {
    const dir = tempDir();
    db = join(dir, 'case.db');
    expect(ctrace(['generate', 'darknet-market', '--txs', '3000', '--seed', 'taint-json', '--out', join(dir, 'world'), '--no-model']).code).toBe(0);
    expect(ctrace(['--db', db, 'ingest', join(dir, 'world/blk00000.dat')]).code).toBe(0);
    expect(ctrace(['--db', db, 'cluster', 'rebuild']).code).toBe(0);
  }, 120_000);
  const trace = (...args: string[]) => ctrace(['--db', db, 'trace', ...args, ...AS_OF]);

  test('default: the streamed --json is byte for byte what the built document printed (haircut, fifo, poison, backward)', () => {
    for (const [name, b] of Object.entries(BEFORE)) {
      const r = ctrace(['--db', db, '--json', 'trace', ...b.args, ...AS_OF]);
      expect(r.code, name).toBe(0);
      expect({ name, bytes: Buffer.byteLength(r.stdout), sha256: createHash('sha256').update(r.stdout).digest('hex') }).toEqual({ name, bytes: b.bytes, sha256: b.sha256 });
    }
  });

  test('behavior: --ndjson parses line by line, and its records put back together are the --json document', () => {
    for (const b of [BEFORE.haircut, BEFORE.backward]) {
      const doc = JSON.parse(ctrace(['--db', db, '--json', 'trace', ...b.args, ...AS_OF]).stdout) as Record<string, unknown>;
      const r = trace(...b.args, '--ndjson');
      expect(r.code).toBe(0);
      expect(r.stdout.endsWith('\n')).toBe(true);
      const records = r.stdout.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const { record, counts, ...head } = records[0] as { record: string; counts: Record<string, number> };
      expect(record).toBe('trace');
      const arrays = { skipped: 'skipped', flow: 'output', addresses: 'address', clusters: 'cluster', suspects: 'suspect', services: 'service' };
      const back: Record<string, unknown> = { ...head };
      for (const [key, name] of Object.entries(arrays)) {
        back[key] = records.slice(1).filter((x) => x.record === name).map(({ record: _r, ...x }) => x);
        expect((back[key] as unknown[]).length, key).toBe(counts[name]);
      }
      expect(records.length).toBe(1 + Object.values(counts).reduce((s, n) => s + n, 0));
      expect(back).toEqual(doc);
      // Every output record carries its evidence: how much, from which output, spent by which transaction.
      expect(records.filter((x) => x.record === 'output').every((x) => 'taint' in x && 'via' in x && 'next' in x && 'hop' in x)).toBe(true);
    }
  });

  test('behavior: suspects reads typologies for the rows it prints only, and they are the rows (with their tags) of the whole ranking', () => {
    const ranked = (limit: string) => JSON.parse(ctrace(['--db', db, '--json', 'suspects', '--source', MARKET, '--hops', '20', '--limit', limit, ...AS_OF]).stdout) as { suspects: { typologies?: unknown; parts: { typologies: string[] } }[] };
    const all = ranked('100000');
    const few = ranked('8');
    expect(all.suspects.length).toBeGreaterThan(8);
    expect(all.suspects.slice(0, 8).some((s) => s.parts.typologies.length > 0)).toBe(true);
    expect(few).toEqual({ ...all, suspects: all.suspects.slice(0, 8) });
  });

  test('args: --json with --ndjson is one clear line and exit 2', () => {
    const r = ctrace(['--db', db, '--json', 'trace', MARKET, '--ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['ctrace: --json and --ndjson: choose one (--ndjson prints the same records one per line)']);
  });

  test('behavior: the text output is a summary of --limit rows that says how to get everything', () => {
    const r = trace(...BEFORE.haircut.args, '--limit', '30');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('haircut out of bcrt1qsnkxph45tqkvtk38pydd4q28xt4f3xun5re8nc: 107 outputs, 99 addresses reached');
    expect(r.stdout).toContain('(77 more rows: --limit <n> for more, --json or --ndjson for all)');
  });
});
